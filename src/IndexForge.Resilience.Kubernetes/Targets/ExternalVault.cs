using System.Security.Cryptography.X509Certificates;
using System.Text;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Kubernetes.Faults;
using IndexForge.Resilience.Kubernetes.Kube;
using IndexForge.Resilience.Kubernetes.Vault;
using k8s.Models;

namespace IndexForge.Resilience.Kubernetes.Targets;

/// <summary>
/// <c>--vault-address URL [--vault-ca FILE]</c> with the token in <c>VAULT_TOKEN</c>: the staging cluster's
/// own Vault instead of one the run installs. The token stays in memory (never printed, never put in
/// the cluster); <see cref="ToString"/> redacts it.
/// </summary>
public sealed record ExternalVaultOptions(Uri Address, string Token, X509Certificate2? Ca, string? CaPem)
{
    public const string AddressKey = "vault-address";
    public const string CaKey = "vault-ca";
    public const string TokenVariable = "VAULT_TOKEN";

    /// <summary>Null when no address was given (the run installs its own Vault); every problem is reported before anything starts.</summary>
    public static ExternalVaultOptions? From(TargetOptions options, Func<string, string?> environment)
    {
        if (!options.Extra.TryGetValue(AddressKey, out var address) || address.Length == 0)
        {
            return options.Extra.ContainsKey(CaKey)
                ? throw new KubernetesTargetException($"--{CaKey} is only used with --{AddressKey}")
                : null;
        }
        var problems = new List<string>();
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            problems.Add($"--{AddressKey} '{address}' is not an http(s) URL");
        var token = environment(TokenVariable);
        if (string.IsNullOrWhiteSpace(token)) problems.Add($"--{AddressKey} needs the Vault token in the {TokenVariable} environment variable");
        X509Certificate2? ca = null;
        string? caPem = null;
        if (options.Extra.TryGetValue(CaKey, out var caFile))
        {
            if (!File.Exists(caFile)) problems.Add($"--{CaKey} {caFile}: file not found");
            else
            {
                try
                {
                    caPem = File.ReadAllText(caFile);
                    ca = X509Certificate2.CreateFromPem(caPem);
                }
                catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException)
                {
                    problems.Add($"--{CaKey} {caFile}: not a PEM certificate ({e.Message})");
                }
            }
        }
        return problems.Count > 0 ? throw new KubernetesTargetException(string.Join("; ", problems)) : new ExternalVaultOptions(uri!, token!, ca, caPem);
    }

    public override string ToString() => $"ExternalVaultOptions({Address}, token redacted, CA {(Ca is null ? "system" : Ca.Subject)})";
}

/// <summary>
/// Prepares an existing Vault for a run without touching anything outside the run's own path: the
/// scenario's secret lives under <c>&lt;mount&gt;/indexforge-runs/&lt;run&gt;/...</c>, a read policy
/// <c>indexforge-run-&lt;run&gt;</c> covers only that, the pods get a child token with that policy
/// (TTL = the namespace's), and tear-down deletes the run's path and policy.
/// </summary>
public static class ExternalVault
{
    public const string RunPathPrefix = "indexforge-runs";
    public const string EgressPolicyName = "indexforge-external-vault";

    public static VaultKvPath RunPath(VaultKvPath path, string runLabel) => new(path.Mount, $"{RunPathPrefix}/{runLabel}/{path.Key}");

    public static string PolicyName(string runLabel) => $"indexforge-run-{runLabel}";

    public static async Task PrepareAsync(KubeCluster cluster, ResourceClient resources, ExternalVaultOptions options, string runLabel, Action<string> progress, CancellationToken ct)
    {
        var vault = cluster.Vault!;
        var ns = vault.Namespace;
        progress($"using the existing Vault at {options.Address} (run path {vault.SecretPath})");
        await using var session = await vault.OpenAsync(cluster.Channels, ct).ConfigureAwait(false);
        var api = session.Api;
        var status = await api.SealStatusAsync(ct).ConfigureAwait(false);
        if (!status.Initialized || status.Sealed)
            throw new KubernetesTargetException($"the Vault at {options.Address} is {(status.Initialized ? "sealed" : "not initialised")}: the harness does not unseal a Vault it does not own");
        var token = vault.AccessToken;
        var policy = $"path \"{vault.SecretPath.DataPath}\" {{ capabilities = [\"read\"] }}\npath \"{vault.SecretPath.MetadataPath}\" {{ capabilities = [\"read\"] }}\n";
        try
        {
            await api.WritePolicyAsync(token, PolicyName(runLabel), policy, ct).ConfigureAwait(false);
        }
        catch (VaultApiException e) when (e.StatusCode == 403)
        {
            throw new KubernetesTargetException($"VAULT_TOKEN may not write the policy {PolicyName(runLabel)} (sys/policies/acl): the run gives its pods a token limited to its own path and needs that right", e);
        }
        var serviceToken = await api.CreateTokenAsync(token, [PolicyName(runLabel)], KubeConstants.DefaultNamespaceTtl, ct).ConfigureAwait(false);
        await resources.ApplyAsync(Secret("indexforge-vault-token", ns, new() { ["token"] = serviceToken }), ns, ct).ConfigureAwait(false);
        await resources.ApplyAsync(Secret("vault-ca", ns, new() { ["ca.crt"] = options.CaPem ?? "" }), ns, ct).ConfigureAwait(false);
        await resources.ApplyAsync(EgressPolicy(ns, options.Address), ns, ct).ConfigureAwait(false);
        await api.WriteSecretAsync(token, vault.SecretPath, new Dictionary<string, string> { ["apiKey"] = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)) }, ct)
            .ConfigureAwait(false);
    }

    /// <summary>Deletes the run's KV path (every version) and its policy; the pods' token expires with its TTL.</summary>
    public static async Task CleanupAsync(KubeCluster cluster, string runLabel, CancellationToken ct)
    {
        var vault = cluster.Vault!;
        await using var session = await vault.OpenAsync(cluster.Channels, ct).ConfigureAwait(false);
        await session.Api.DeleteMetadataAsync(vault.AccessToken, vault.SecretPath, ct).ConfigureAwait(false);
        await session.Api.DeletePolicyAsync(vault.AccessToken, PolicyName(runLabel), ct).ConfigureAwait(false);
    }

    /// <summary>The plan's NetworkPolicy lets the replicas reach only the in-namespace Vault; this adds the existing Vault's port.</summary>
    private static V1NetworkPolicy EgressPolicy(string ns, Uri address) => new()
    {
        ApiVersion = "networking.k8s.io/v1", Kind = "NetworkPolicy",
        Metadata = new V1ObjectMeta { Name = EgressPolicyName, NamespaceProperty = ns },
        Spec = new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [KubeLabels.App] = KubeLabels.AppValue } },
            PolicyTypes = ["Egress"],
            Egress = [new V1NetworkPolicyEgressRule { Ports = [new V1NetworkPolicyPort { Protocol = "TCP", Port = address.Port }] }],
        },
    };

    private static V1Secret Secret(string name, string ns, Dictionary<string, string> data) => new()
    {
        ApiVersion = "v1", Kind = "Secret", Type = "Opaque",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Data = data.ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetBytes(kv.Value)),
    };
}
