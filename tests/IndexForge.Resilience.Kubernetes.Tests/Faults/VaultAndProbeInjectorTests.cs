using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.SecretRotation;
using IndexForge.Resilience.Core.Faults.UnauthorizedSourceProbe;
using IndexForge.Resilience.Core.Faults.VaultOutage;
using IndexForge.Resilience.Core.Faults.VaultSeal;
using IndexForge.Resilience.Kubernetes.Faults.SecretRotation;
using IndexForge.Resilience.Kubernetes.Faults.UnauthorizedSourceProbe;
using IndexForge.Resilience.Kubernetes.Faults.VaultOutage;
using IndexForge.Resilience.Kubernetes.Faults.VaultSeal;
using IndexForge.Resilience.Kubernetes.Tests.Fakes;
using Xunit;

namespace IndexForge.Resilience.Kubernetes.Tests.Faults;

public sealed class VaultAndProbeInjectorTests
{
    private const string Ns = FakeCluster.Ns;

    [Fact]
    public async Task VaultSeal_SealsWithRootTokenAndUnsealsWithKeptKeys()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        var cluster = await fake.WithVaultAsync();

        var fault = await new VaultSealInjector(cluster).InjectAsync(new VaultSealOptions(), fake.Context(), CancellationToken.None);

        var calls = fake.VaultPod!.Requests.Select(r => $"{r.Method} {r.Path}").ToList();
        Assert.Equal(["GET /v1/sys/seal-status", "PUT /v1/sys/seal"], calls);
        Assert.DoesNotContain(fault.Details.Values, v => v.Contains("root-token", StringComparison.Ordinal));

        await fault.RevertAsync(CancellationToken.None);
        var unseals = fake.VaultPod.Requests.Where(r => r.Path == "/v1/sys/unseal").Select(r => r.Json!["key"]!.GetValue<string>()).ToList();
        Assert.Equal(["k1", "k2"], unseals); // threshold 2: the third key is not needed
    }

    [Fact]
    public async Task VaultSeal_VaultNotInitialisedByRun_Refused()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        var cluster = await fake.WithVaultAsync(initialisedByRun: false);

        var e = await Assert.ThrowsAsync<FaultInjectionException>(() => new VaultSealInjector(cluster).InjectAsync(new VaultSealOptions(), fake.Context(), CancellationToken.None));

        Assert.Contains("root token", e.Message);
        Assert.Empty(fake.VaultPod!.Requests);
    }

    [Fact]
    public async Task VaultOutage_ScalesStatefulSetToZeroThenBackAndUnseals()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        var cluster = await fake.WithVaultAsync();
        var path = $"/apis/apps/v1/namespaces/{Ns}/statefulsets/vault";

        var fault = await new VaultOutageInjector(cluster).InjectAsync(new VaultOutageOptions(), fake.Context(), CancellationToken.None);

        var patch = Assert.Single(fake.Api.Mutations);
        Assert.Equal(("PATCH", path, """{"spec":{"replicas":0}}"""), (patch.Method, patch.Path, patch.Body));
        fake.VaultPod!.Routes[("GET", "/v1/sys/seal-status")] = _ => (200, """{"initialized":true,"sealed":true,"t":2,"progress":0}""");

        await fault.RevertAsync(CancellationToken.None);

        Assert.Equal("""{"spec":{"replicas":1}}""", fake.Api.Mutations.Last(m => m.Method == "PATCH").Body);
        Assert.Equal(1, fake.Api.Get(path)!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Contains(fake.VaultPod.Requests, r => r.Path == "/v1/sys/unseal");
    }

    [Fact]
    public async Task SecretRotation_WritesNewVersionWithRotationMetadataAndVerifiesReplicas()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        var cluster = await fake.WithVaultAsync();

        var fault = await new SecretRotationInjector(cluster).InjectAsync(
            new SecretRotationOptions { VerifyWithin = TimeSpan.FromSeconds(5) }, fake.RealTimeContext(), CancellationToken.None);

        var write = Assert.Single(fake.VaultPod!.Requests, r => r.Method == "POST" && r.Path == "/v1/secret/data/indexforge/search-api");
        var data = write.Json!["data"]!.AsObject();
        Assert.Equal(["apiKey", "user"], data.Select(p => p.Key).Order());
        Assert.All(data, p => Assert.NotEqual("old", p.Value!.GetValue<string>()));
        var meta = Assert.Single(fake.VaultPod.Requests, r => r.Path == "/v1/secret/metadata/indexforge/search-api").Json!["custom_metadata"]!;
        var rotated = DateTimeOffset.Parse(meta["rotation_date"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var next = DateTimeOffset.Parse(meta["next_rotation"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromDays(30), next - rotated);
        Assert.Equal(("1", "2", "true", ""), (fault.Details["previousVersion"], fault.Details["version"], fault.Details["verified"], fault.Details["notPickedUp"]));
        Assert.DoesNotContain(fault.Details.Values, v => data.Any(p => v.Contains(p.Value!.GetValue<string>(), StringComparison.Ordinal)));
        Assert.Contains(fake.Events, e => e.Kind == Core.Targets.TargetEventKinds.SecretRotated);
    }

    [Fact]
    public async Task SecretRotation_ReplicaKeepsOldVersion_ReportedNotVerified()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        var cluster = await fake.WithVaultAsync();
        fake.Pods["us-east-1"].Routes[("GET", "/control/secret")] = _ => (200, """{"version":1}""");

        var fault = await new SecretRotationInjector(cluster).InjectAsync(
            new SecretRotationOptions { VerifyWithin = TimeSpan.FromMilliseconds(300) }, fake.RealTimeContext(), CancellationToken.None);

        Assert.Equal("false", fault.Details["verified"]);
        Assert.Equal("us-east-1", fault.Details["notPickedUp"]);
    }

    [Fact]
    public async Task UnauthorizedSourceProbe_403FromLogs_RefusedAndPodDeleted()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        var probeNs = $"{Ns}-intruder";
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        // Plays the kubelet: once the probe pod exists, its curl container ends with exit 0 having printed 403.
        var kubelet = Task.Run(async () =>
        {
            while (!cts.IsCancellationRequested)
            {
                var pod = fake.Api.Requests.FirstOrDefault(r => r.Method == "POST" && r.Path == $"/api/v1/namespaces/{probeNs}/pods");
                if (pod is not null)
                {
                    var name = pod.Json!["metadata"]!["name"]!.GetValue<string>();
                    fake.Api.PodLogs[(probeNs, name)] = "403";
                    fake.Api.Update($"/api/v1/namespaces/{probeNs}/pods/{name}", stored => stored["status"] = System.Text.Json.Nodes.JsonNode.Parse("""{"phase":"Running","containerStatuses":[{"name":"probe","ready":false,"restartCount":0,"image":"c","imageID":"","state":{"terminated":{"exitCode":0}}}]}"""));
                    return name;
                }
                await Task.Delay(20);
            }
            return "";
        });

        var fault = await new UnauthorizedSourceProbeInjector(fake.Cluster).InjectAsync(new UnauthorizedSourceProbeOptions(), fake.RealTimeContext(), cts.Token);
        var podName = await kubelet;

        Assert.Equal(("true", "http-403", "403"), (fault.Details["refused"], fault.Details["reason"], fault.Details["status"]));
        Assert.Equal($"spiffe://cluster.local/ns/{probeNs}/sa/default", fault.Details["source"]);
        var ns = fake.Api.Get($"/api/v1/namespaces/{probeNs}")!;
        Assert.Equal("test", ns["metadata"]!["labels"]!["indexforge.io/run-id"]!.GetValue<string>());
        Assert.Equal("enabled", ns["metadata"]!["labels"]!["istio-injection"]!.GetValue<string>());
        var created = fake.Api.Requests.Single(r => r.Method == "POST" && r.Path.EndsWith("/pods", StringComparison.Ordinal)).Json!;
        Assert.Equal("default", created["spec"]!["serviceAccountName"]!.GetValue<string>());
        Assert.Contains($"http://indexforge.{Ns}.svc.cluster.local:8080/search?q=probe", created["spec"]!["containers"]![0]!["args"]!.ToJsonString());
        Assert.Contains(fake.Api.Requests, r => r.Method == "DELETE" && r.Path == $"/api/v1/namespaces/{probeNs}/pods/{podName}");
        Assert.False(fake.Api.Exists($"/api/v1/namespaces/{probeNs}/pods/{podName}"));
    }

    [Theory]
    [InlineData(0, "200", false, "accepted")]
    [InlineData(0, "403", true, "http-403")]
    [InlineData(0, "503", true, "http-503")]
    [InlineData(56, "000", true, "connection-reset")]
    [InlineData(28, "000", true, "timeout")]
    [InlineData(7, "", true, "connection-refused")]
    public void ProbeOutcome_CurlResult_MapsToRefusal(int exit, string output, bool refused, string reason)
    {
        var o = ProbeOutcome.From(exit, output);
        Assert.Equal((refused, reason), (o.Refused, o.Reason));
    }
}
