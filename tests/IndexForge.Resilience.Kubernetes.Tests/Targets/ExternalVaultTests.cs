using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.SecretRotation;
using IndexForge.Resilience.Core.Faults.VaultSeal;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Kubernetes.Faults;
using IndexForge.Resilience.Kubernetes.Faults.SecretRotation;
using IndexForge.Resilience.Kubernetes.Faults.VaultSeal;
using IndexForge.Resilience.Kubernetes.Kube;
using IndexForge.Resilience.Kubernetes.Targets;
using IndexForge.Resilience.Kubernetes.Tests.Fakes;
using IndexForge.Resilience.Kubernetes.Vault;
using Xunit;

namespace IndexForge.Resilience.Kubernetes.Tests.Targets;

public sealed class ExternalVaultTests
{
    private const string Ns = FakeCluster.Ns;
    private const string Token = "s.staging-token-never-printed";

    private static TargetOptions Options(params (string Key, string Value)[] extra) =>
        new() { Kubeconfig = "k", Extra = extra.ToDictionary(e => e.Key, e => e.Value) };

    private static string? Env(string name) => name == ExternalVaultOptions.TokenVariable ? Token : null;

    [Fact]
    public void From_NoAddress_InstallsOwnVault_AllVaultFaultsSupported()
    {
        Assert.Null(ExternalVaultOptions.From(Options(), Env));
        var target = new KubeconfigTarget(Options(), environment: Env);
        Assert.Contains(FaultTypes.VaultSeal, target.SupportedFaults);
        Assert.Contains(FaultTypes.VaultOutage, target.SupportedFaults);
    }

    [Fact]
    public void From_AddressWithToken_TokenNeverInToString_SealAndOutageRefusedBeforeStart()
    {
        var options = Options((ExternalVaultOptions.AddressKey, "https://vault.staging:8200"));
        var v = ExternalVaultOptions.From(options, Env)!;
        var target = new KubeconfigTarget(options, environment: Env);

        Assert.Equal(new Uri("https://vault.staging:8200"), v.Address);
        Assert.DoesNotContain(Token, v.ToString());
        Assert.DoesNotContain(FaultTypes.VaultSeal, target.SupportedFaults);
        Assert.DoesNotContain(FaultTypes.VaultOutage, target.SupportedFaults);
        Assert.Contains(FaultTypes.SecretRotation, target.SupportedFaults);
    }

    [Fact]
    public void From_EveryProblemReportedTogether()
    {
        var e = Assert.Throws<KubernetesTargetException>(() => ExternalVaultOptions.From(
            Options((ExternalVaultOptions.AddressKey, "vault.staging:8200"), (ExternalVaultOptions.CaKey, "/nonexistent/ca.pem")), _ => null));

        Assert.Contains("is not an http(s) URL", e.Message);
        Assert.Contains("VAULT_TOKEN", e.Message);
        Assert.Contains("/nonexistent/ca.pem: file not found", e.Message);
        Assert.Throws<KubernetesTargetException>(() => ExternalVaultOptions.From(Options((ExternalVaultOptions.CaKey, "ca.pem")), Env)); // a CA without an address
    }

    [Fact]
    public async Task Prepare_WritesOnlyUnderTheRunsPath_PodsGetAChildTokenNeverTheGivenOne_CleanupDeletesIt()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        await using var vaultPod = await FakePod.StartAsync();
        var runPath = ExternalVault.RunPath(VaultKvPath.Parse("secret/data/indexforge/search-api"), "run-1");
        vaultPod.Routes[("GET", "/v1/sys/seal-status")] = _ => (200, """{"initialized":true,"sealed":false,"t":3,"progress":0}""");
        vaultPod.Routes[("PUT", "/v1/sys/policies/acl/indexforge-run-run-1")] = _ => (204, "");
        vaultPod.Routes[("POST", "/v1/auth/token/create")] = _ => (200, """{"auth":{"client_token":"s.child-token"}}""");
        vaultPod.Routes[("POST", $"/v1/{runPath.DataPath}")] = _ => (200, """{"data":{"version":1}}""");
        vaultPod.Routes[("DELETE", $"/v1/{runPath.MetadataPath}")] = _ => (204, "");
        vaultPod.Routes[("DELETE", "/v1/sys/policies/acl/indexforge-run-run-1")] = _ => (204, "");
        var cluster = new KubeCluster
        {
            Client = fake.Cluster.Client, Guard = fake.Cluster.Guard, Channels = fake.Cluster.Channels, Timings = fake.Cluster.Timings,
            Vault = new VaultAccess { Namespace = Ns, Address = new Uri($"http://{vaultPod.EndPoint}/"), ExternalToken = Token, SecretPath = runPath },
        };
        var options = new ExternalVaultOptions(new Uri("https://vault.staging:8200"), Token, null, null);

        await ExternalVault.PrepareAsync(cluster, cluster.Resources, options, "run-1", _ => { }, CancellationToken.None);

        Assert.Equal("secret/data/indexforge-runs/run-1/indexforge/search-api", runPath.DataPath);
        Assert.All(vaultPod.Requests.Where(r => r.Path.StartsWith("/v1/secret/", StringComparison.Ordinal)), r => Assert.StartsWith("/v1/secret/data/indexforge-runs/run-1/", r.Path));
        Assert.DoesNotContain(vaultPod.Requests, r => r.Path.Contains("sys/init", StringComparison.Ordinal) || r.Path.Contains("unseal", StringComparison.Ordinal) || r.Path.Contains("sys/mounts", StringComparison.Ordinal));
        var policy = vaultPod.Requests.Single(r => r.Method == "PUT").Json!["policy"]!.GetValue<string>();
        Assert.Contains($"path \"{runPath.DataPath}\"", policy);
        Assert.Equal("indexforge-run-run-1", vaultPod.Requests.Single(r => r.Path == "/v1/auth/token/create").Json!["policies"]![0]!.GetValue<string>());
        var tokenSecret = fake.Api.Get($"/api/v1/namespaces/{Ns}/secrets/indexforge-vault-token")!;
        var stored = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(tokenSecret["data"]!["token"]!.GetValue<string>()));
        Assert.Equal("s.child-token", stored);
        Assert.DoesNotContain(fake.Api.Requests, r => r.Body.Contains(Token, StringComparison.Ordinal) || r.Body.Contains(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Token)), StringComparison.Ordinal));
        Assert.NotNull(fake.Api.Get($"/apis/networking.k8s.io/v1/namespaces/{Ns}/networkpolicies/{ExternalVault.EgressPolicyName}"));

        await ExternalVault.CleanupAsync(cluster, "run-1", CancellationToken.None);
        Assert.Contains(vaultPod.Requests, r => r.Method == "DELETE" && r.Path == $"/v1/{runPath.MetadataPath}");
        Assert.Contains(vaultPod.Requests, r => r.Method == "DELETE" && r.Path == "/v1/sys/policies/acl/indexforge-run-run-1");
    }

    [Fact]
    public async Task Prepare_SealedExistingVault_RefusedWithoutUnsealing()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        await using var vaultPod = await FakePod.StartAsync();
        vaultPod.Routes[("GET", "/v1/sys/seal-status")] = _ => (200, """{"initialized":true,"sealed":true,"t":3,"progress":0}""");
        var cluster = new KubeCluster
        {
            Client = fake.Cluster.Client, Guard = fake.Cluster.Guard, Channels = fake.Cluster.Channels,
            Vault = new VaultAccess { Namespace = Ns, Address = new Uri($"http://{vaultPod.EndPoint}/"), ExternalToken = Token, SecretPath = VaultKvPath.Parse("secret/x") },
        };

        var e = await Assert.ThrowsAsync<KubernetesTargetException>(() =>
            ExternalVault.PrepareAsync(cluster, cluster.Resources, new ExternalVaultOptions(new Uri("https://v"), Token, null, null), "r", _ => { }, CancellationToken.None));

        Assert.Contains("does not unseal a Vault it does not own", e.Message);
        Assert.Equal(["GET /v1/sys/seal-status"], vaultPod.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Empty(fake.Api.Mutations);
    }

    [Fact]
    public async Task ExistingVault_SealInjectorRefused_RotationUsesTheGivenToken()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        await using var vaultPod = await FakePod.StartAsync();
        var path = VaultKvPath.Parse("secret/data/indexforge-runs/r/indexforge/search-api");
        var version = 1;
        vaultPod.Routes[("GET", $"/v1/{path.DataPath}")] = _ => (200, $$$$"""{"data":{"data":{"apiKey":"old"},"metadata":{"version":{{{{version}}}}}}}""");
        vaultPod.Routes[("POST", $"/v1/{path.DataPath}")] = _ => (200, $$$$"""{"data":{"version":{{{{++version}}}}}}""");
        vaultPod.Routes[("POST", $"/v1/{path.MetadataPath}")] = _ => (204, "");
        foreach (var pod in fake.Pods.Values) pod.WithChaosEndpoints(() => version);
        var cluster = new KubeCluster
        {
            Client = fake.Cluster.Client, Guard = fake.Cluster.Guard, Channels = fake.Cluster.Channels, Timings = fake.Cluster.Timings,
            Vault = new VaultAccess { Namespace = Ns, Address = new Uri($"http://{vaultPod.EndPoint}/"), ExternalToken = Token, SecretPath = path },
        };

        var seal = await Assert.ThrowsAsync<FaultInjectionException>(() => new VaultSealInjector(cluster).InjectAsync(new VaultSealOptions(), fake.Context(), CancellationToken.None));
        Assert.Contains("root token", seal.Message);
        Assert.DoesNotContain(vaultPod.Requests, r => r.Path == "/v1/sys/seal");

        var fault = await new SecretRotationInjector(cluster).InjectAsync(new SecretRotationOptions { VerifyWithin = TimeSpan.FromSeconds(5) }, fake.RealTimeContext(), CancellationToken.None);
        Assert.Equal(("1", "2"), (fault.Details["previousVersion"], fault.Details["version"]));
        Assert.DoesNotContain(fault.Details.Values, v => v.Contains(Token, StringComparison.Ordinal));
    }
}
