using System.Security.Cryptography;
using System.Text;
using IndexForge.Resilience.Kubernetes.Clusters;
using IndexForge.Resilience.Kubernetes.Faults;
using IndexForge.Resilience.Kubernetes.Kube;
using IndexForge.Resilience.Kubernetes.Vault;
using k8s.Models;

namespace IndexForge.Resilience.Kubernetes.Targets;

/// <summary>
/// Installs the run's Vault and brings it to service through its API: init (keys and root token
/// kept in <see cref="VaultAccess.Keys"/>, in memory only), unseal, KV v2, a read policy, the
/// service's token (a Secret the pods mount), and the first version of the service's credential.
/// </summary>
public static class VaultBootstrap
{
    public static async Task InstallAsync(
        KubeCluster cluster, ResourceClient resources, string manifest, IReadOnlyDictionary<string, string> values,
        VaultTlsMaterial tls, TimeProvider time, Action<string> progress, CancellationToken ct)
    {
        var vault = cluster.Vault!;
        var ns = vault.Namespace;
        progress("installing Vault (file storage, TLS listener)");
        await resources.ApplyAsync(Secret("vault-tls", ns, new() { ["tls.crt"] = tls.CertPem, ["tls.key"] = tls.KeyPem, ["ca.crt"] = tls.CaPem }), ns, ct).ConfigureAwait(false);
        await resources.ApplyAsync(Secret("vault-ca", ns, new() { ["ca.crt"] = tls.CaPem }), ns, ct).ConfigureAwait(false);
        foreach (var o in ManifestRenderer.Load(manifest, values)) await resources.ApplyAsync(o, ns, ct).ConfigureAwait(false);
        await Readiness.WaitForPodRunningAsync(cluster.Client, ns, vault.Pod, cluster.Timings, time, ct).ConfigureAwait(false);

        var access = vault;
        progress("initialising and unsealing Vault");
        await using (var session = await RetryOpenAsync(access, cluster, time, ct).ConfigureAwait(false))
        {
            var api = session.Api;
            var status = await api.SealStatusAsync(ct).ConfigureAwait(false);
            if (status.Initialized)
                throw new KubernetesTargetException($"Vault in {ns} is already initialised: its keys are not this run's");
            var keys = await api.InitAsync(VaultConstants.KeyShares, VaultConstants.KeyThreshold, ct).ConfigureAwait(false);
            vault.Keys = keys;
            await access.UnsealAsync(api, ct).ConfigureAwait(false);
            await WaitActiveAsync(api, cluster, time, ct).ConfigureAwait(false);
            var root = keys.RootToken;
            await api.EnableKv2Async(root, vault.SecretPath.Mount, ct).ConfigureAwait(false);
            var policy = $"path \"{vault.SecretPath.DataPath}\" {{ capabilities = [\"read\"] }}\npath \"{vault.SecretPath.MetadataPath}\" {{ capabilities = [\"read\"] }}\n";
            await api.WritePolicyAsync(root, VaultConstants.ServicePolicy, policy, ct).ConfigureAwait(false);
            var serviceToken = await api.CreateTokenAsync(root, [VaultConstants.ServicePolicy], VaultConstants.ServiceTokenTtl, ct).ConfigureAwait(false);
            await resources.ApplyAsync(Secret("indexforge-vault-token", ns, new() { ["token"] = serviceToken }), ns, ct).ConfigureAwait(false);
            var first = new Dictionary<string, string> { ["apiKey"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)) };
            await api.WriteSecretAsync(root, vault.SecretPath, first, ct).ConfigureAwait(false);
        }
    }

    // Vault's pod runs before its listener accepts connections; the port-forward fails until then.
    private static async Task<VaultSession> RetryOpenAsync(VaultAccess access, KubeCluster cluster, TimeProvider time, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + cluster.Timings.ReadyTimeout;
        while (true)
        {
            var session = await access.OpenAsync(cluster.Channels, ct).ConfigureAwait(false);
            try
            {
                await session.Api.SealStatusAsync(ct).ConfigureAwait(false);
                return session;
            }
            catch (Exception) when (time.GetUtcNow() < deadline && !ct.IsCancellationRequested)
            {
                await session.DisposeAsync().ConfigureAwait(false);
                await Task.Delay(cluster.Timings.Poll, time, ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task WaitActiveAsync(IVaultApi api, KubeCluster cluster, TimeProvider time, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + cluster.Timings.ReadyTimeout;
        while ((await api.SealStatusAsync(ct).ConfigureAwait(false)).Sealed)
        {
            if (time.GetUtcNow() >= deadline) throw new KubernetesTargetException("Vault stayed sealed after unsealing");
            await Task.Delay(cluster.Timings.Poll, time, ct).ConfigureAwait(false);
        }
    }

    private static V1Secret Secret(string name, string ns, Dictionary<string, string> data) => new()
    {
        ApiVersion = "v1", Kind = "Secret", Type = "Opaque",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Data = data.ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetBytes(kv.Value)),
    };
}
