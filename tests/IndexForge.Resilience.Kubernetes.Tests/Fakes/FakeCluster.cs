using System.Text.Json.Nodes;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Kubernetes.Faults;
using IndexForge.Resilience.Kubernetes.Guard;
using IndexForge.Resilience.Kubernetes.Kube;
using IndexForge.Resilience.Kubernetes.Vault;
using Microsoft.Extensions.Time.Testing;

namespace IndexForge.Resilience.Kubernetes.Tests.Fakes;

/// <summary>A run namespace on the fake API server with one Deployment and one running pod per replica.</summary>
public sealed class FakeCluster : IAsyncDisposable
{
    public const string Ns = "indexforge-run-test";

    private FakeCluster(FakeKubeApiServer api) => Api = api;

    public FakeKubeApiServer Api { get; }
    public List<TargetEvent> Events { get; } = [];
    public Dictionary<string, FakePod> Pods { get; } = [];
    public FakePod? VaultPod { get; private set; }
    public KubeCluster Cluster { get; private set; } = null!;

    public static async Task<FakeCluster> StartAsync(params (string Replica, string Region, string Zone)[] replicas)
    {
        var fake = new FakeCluster(await FakeKubeApiServer.StartAsync());
        fake.Api.Seed($$$$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{{{Ns}}}}}","labels":{"{{{{{KubeLabels.ManagedBy}}}}}":"{{{{{KubeLabels.ManagedByValue}}}}}","{{{{{KubeLabels.RunId}}}}}":"test","{{{{{KubeLabels.ExpiresAt}}}}}":"2000000000"}}}""");
        foreach (var (replica, region, zone) in replicas) await fake.AddReplicaAsync(replica, region, zone);
        fake.Cluster = new KubeCluster
        {
            Client = fake.Api.Client(),
            Guard = new NamespaceGuard(Ns),
            Channels = new PortForwardChannels(fake.Api.Client()),
            Timings = new KubeTimings { Poll = TimeSpan.FromMilliseconds(20), ProbeTimeout = TimeSpan.FromSeconds(5), ReadyTimeout = TimeSpan.FromSeconds(5) },
        };
        return fake;
    }

    public static (string, string, string)[] TwoRegions =>
        [("us-west-1", "us-west", "us-westa"), ("us-west-2", "us-west", "us-westb"), ("us-east-1", "us-east", "us-easta")];

    public async Task AddReplicaAsync(string replica, string region, string zone)
    {
        var labels = $$$$$"""{"app":"indexforge","{{{{{KubeLabels.Replica}}}}}":"{{{{{replica}}}}}","{{{{{KubeLabels.Region}}}}}":"{{{{{region}}}}}","{{{{{KubeLabels.Zone}}}}}":"{{{{{zone}}}}}"}""";
        Api.Seed($$$$$"""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"indexforge-{{{{{replica}}}}}","namespace":"{{{{{Ns}}}}}","labels":{{{{{labels}}}}}},"spec":{"replicas":1,"selector":{"matchLabels":{"{{{{{KubeLabels.Replica}}}}}":"{{{{{replica}}}}}"}},"template":{"metadata":{"labels":{{{{{labels}}}}}},"spec":{"containers":[{"name":"indexforge","image":"x"}]}}}}""");
        Api.Seed($$$$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"indexforge-{{{{{replica}}}}}-abc","namespace":"{{{{{Ns}}}}}","labels":{{{{{labels}}}}}},"spec":{"containers":[{"name":"indexforge","image":"x"}]},"status":{"phase":"Running"}}""");
        var pod = (await FakePod.StartAsync()).WithChaosEndpoints();
        Pods[replica] = pod;
        Api.PortForwards[(Ns, $"indexforge-{replica}-abc", KubeConstants.SampleServicePort)] = pod.EndPoint;
    }

    /// <summary>Adds a Vault StatefulSet and pod answering the seal/unseal API; returns the cluster with Vault access.</summary>
    public async Task<KubeCluster> WithVaultAsync(bool initialisedByRun = true)
    {
        Api.Seed($$$$$"""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"vault","namespace":"{{{{{Ns}}}}}"},"spec":{"replicas":1,"serviceName":"vault","selector":{"matchLabels":{"app":"vault"}},"template":{"metadata":{"labels":{"app":"vault"}},"spec":{"containers":[{"name":"vault","image":"v"}]}}}}""");
        Api.Seed($$$$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"vault-0","namespace":"{{{{{Ns}}}}}","labels":{"app":"vault"}},"spec":{"containers":[{"name":"vault","image":"v"}]},"status":{"phase":"Running"}}""");
        VaultPod = await FakePod.StartAsync();
        var sealedNow = false;
        var version = 1;
        VaultPod.Routes[("GET", "/v1/sys/seal-status")] = _ => (200, $$$$$"""{"initialized":true,"sealed":{{{{{(sealedNow ? "true" : "false")}}}}},"t":2,"progress":0}""");
        VaultPod.Routes[("PUT", "/v1/sys/seal")] = _ => { sealedNow = true; return (204, ""); };
        var progress = 0;
        VaultPod.Routes[("PUT", "/v1/sys/unseal")] = _ =>
        {
            if (++progress >= 2) { sealedNow = false; progress = 0; }
            return (200, $$$$$"""{"initialized":true,"sealed":{{{{{(sealedNow ? "true" : "false")}}}}},"t":2,"progress":{{{{{progress}}}}}}""");
        };
        VaultPod.Routes[("GET", "/v1/secret/data/indexforge/search-api")] = _ =>
            (200, $$$$$"""{"data":{"data":{"apiKey":"old","user":"old"},"metadata":{"version":{{{{{version}}}}}}}}""");
        VaultPod.Routes[("POST", "/v1/secret/data/indexforge/search-api")] = _ => (200, $$$$$"""{"data":{"version":{{{{{++version}}}}}}}""");
        VaultPod.Routes[("POST", "/v1/secret/metadata/indexforge/search-api")] = _ => (204, "");
        VaultPod.Routes[("PUT", "/v1/secret/destroy/indexforge/search-api")] = _ => (204, "");
        Api.PortForwards[(Ns, "vault-0", VaultConstants.Port)] = VaultPod.EndPoint;
        foreach (var pod in Pods.Values) pod.WithChaosEndpoints(() => version);
        Cluster = new KubeCluster
        {
            Client = Cluster.Client, Guard = Cluster.Guard, Channels = Cluster.Channels, Timings = Cluster.Timings,
            Vault = new VaultAccess
            {
                Namespace = Ns,
                SecretPath = VaultKvPath.Parse("secret/data/indexforge/search-api"),
                Keys = initialisedByRun ? new VaultInitResult(["k1", "k2", "k3"], "root-token-never-logged") : null,
            },
        };
        return Cluster;
    }

    public FaultContext Context() => new(
        new TargetEnvironment { EntryPoint = new Uri("http://127.0.0.1:1/"), Replicas = [] },
        new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero)),
        new Random(7),
        Events.Add);

    /// <summary>A context on the real clock, for injectors that wait (polling needs time to pass).</summary>
    public FaultContext RealTimeContext() => Context() with { Time = TimeProvider.System };

    public string DeploymentPath(string replica) => $"/apis/apps/v1/namespaces/{Ns}/deployments/indexforge-{replica}";

    public int Replicas(string replica) => Api.Get(DeploymentPath(replica))!["spec"]!["replicas"]!.GetValue<int>();

    public async ValueTask DisposeAsync()
    {
        foreach (var pod in Pods.Values) await pod.DisposeAsync();
        if (VaultPod is not null) await VaultPod.DisposeAsync();
        await Api.DisposeAsync();
    }
}
