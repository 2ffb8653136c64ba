using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.RegionOutage;
using IndexForge.Resilience.Core.Faults.ReplicaKill;
using IndexForge.Resilience.Core.Faults.ZoneOutage;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Kubernetes.Faults.RegionOutage;
using IndexForge.Resilience.Kubernetes.Faults.ReplicaKill;
using IndexForge.Resilience.Kubernetes.Faults.ZoneOutage;
using IndexForge.Resilience.Kubernetes.Kube;
using IndexForge.Resilience.Kubernetes.Tests.Fakes;
using Xunit;

namespace IndexForge.Resilience.Kubernetes.Tests.Faults;

public sealed class ScalingInjectorTests
{
    private const string Ns = FakeCluster.Ns;

    [Fact]
    public async Task ReplicaKill_InjectAndRevert_ScalesToZeroKillsPodAndRestoresExactly()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        var injector = new ReplicaKillInjector(fake.Cluster);

        var fault = await injector.InjectAsync(new ReplicaKillOptions { Replica = "us-west-2" }, fake.Context(), CancellationToken.None);

        var m = fake.Api.Mutations;
        Assert.Equal(2, m.Count);
        Assert.Equal(("PATCH", $"/apis/apps/v1/namespaces/{Ns}/deployments/indexforge-us-west-2"), (m[0].Method, m[0].Path));
        Assert.StartsWith("application/merge-patch+json", m[0].ContentType);
        Assert.Equal("""{"spec":{"replicas":0}}""", m[0].Body);
        Assert.Equal(("DELETE", $"/api/v1/namespaces/{Ns}/pods/indexforge-us-west-2-abc"), (m[1].Method, m[1].Path));
        Assert.Equal(0, m[1].Json!["gracePeriodSeconds"]!.GetValue<int>());
        Assert.Equal(0, fake.Replicas("us-west-2"));
        Assert.Equal(1, fake.Replicas("us-west-1"));
        Assert.Contains(fake.Events, e => e.Kind == TargetEventKinds.ReplicaStopped && e.Subject == "us-west-2");

        fake.Api.ClearRequests();
        await fault.RevertAsync(CancellationToken.None);
        await fault.RevertAsync(CancellationToken.None);

        var revert = Assert.Single(fake.Api.Mutations);
        Assert.Equal("""{"spec":{"replicas":1}}""", revert.Body);
        Assert.Equal(1, fake.Replicas("us-west-2"));
        Assert.Single(fake.Events, e => e.Kind == TargetEventKinds.FaultReverted);
    }

    [Fact]
    public async Task RegionOutage_Stop_ScalesOnlyThatRegionAndRestoresEachCount()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        // A replica scaled to 3 by someone must come back to 3, not to 1.
        fake.Api.Get(fake.DeploymentPath("us-west-2"))!["spec"]!["replicas"] = 3;
        var injector = new RegionOutageInjector(fake.Cluster);

        var fault = await injector.InjectAsync(new RegionOutageOptions { Region = "us-west", Mode = "stop" }, fake.Context(), CancellationToken.None);

        var list = Assert.Single(fake.Api.Requests, r => r.Method == "GET");
        Assert.Contains("labelSelector=app%3Dindexforge%2Ctopology.kubernetes.io%2Fregion%3Dus-west", list.Query);
        Assert.Equal([0, 0, 1], new[] { fake.Replicas("us-west-1"), fake.Replicas("us-west-2"), fake.Replicas("us-east-1") });

        await fault.RevertAsync(CancellationToken.None);
        Assert.Equal([1, 3, 1], new[] { fake.Replicas("us-west-1"), fake.Replicas("us-west-2"), fake.Replicas("us-east-1") });
    }

    [Fact]
    public async Task RegionOutage_Fail_Sets503ChaosOnEveryRegionPodAndClearsIt()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        var injector = new RegionOutageInjector(fake.Cluster);

        var fault = await injector.InjectAsync(new RegionOutageOptions { Region = "us-west" }, fake.Context(), CancellationToken.None);

        foreach (var replica in new[] { "us-west-1", "us-west-2" })
        {
            var put = Assert.Single(fake.Pods[replica].Requests);
            Assert.Equal(("PUT", "/control/chaos"), (put.Method, put.Path));
            Assert.Equal("""{"errorRate":1,"statusCode":503,"latencyMs":0,"latencyRate":0}""", put.Body);
        }
        Assert.Empty(fake.Pods["us-east-1"].Requests);
        Assert.DoesNotContain(fake.Api.Mutations, r => r.Method != "PORTFORWARD");
        Assert.Contains(fake.Api.Requests, r => r.Method == "PORTFORWARD" && r.Path == $"/api/v1/namespaces/{Ns}/pods/indexforge-us-west-1-abc/portforward" && r.Query == "?ports=8080");

        await fault.RevertAsync(CancellationToken.None);
        Assert.Equal("DELETE", fake.Pods["us-west-1"].Requests.Last().Method);
        Assert.Equal("DELETE", fake.Pods["us-west-2"].Requests.Last().Method);
    }

    [Fact]
    public async Task ZoneOutage_ScalesTheZonesDeploymentsOnly()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        var fault = await new ZoneOutageInjector(fake.Cluster).InjectAsync(new ZoneOutageOptions { Zone = "us-westb" }, fake.Context(), CancellationToken.None);

        Assert.Equal([1, 0, 1], new[] { fake.Replicas("us-west-1"), fake.Replicas("us-west-2"), fake.Replicas("us-east-1") });
        Assert.Equal("indexforge-us-west-2:1", fault.Details["deployments"]);
        await fault.RevertAsync(CancellationToken.None);
        Assert.Equal(1, fake.Replicas("us-west-2"));
    }

    [Fact]
    public async Task RegionOutage_SecondScaleFails_FirstIsRestoredBeforeTheErrorSurfaces()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        var failOnce = true;
        fake.Api.FailWhen = r => r.Method == "PATCH" && r.Path.EndsWith("indexforge-us-west-2", StringComparison.Ordinal) && r.Body.Contains("\"replicas\":0") && failOnce ? 500 : null;

        var e = await Assert.ThrowsAsync<FaultInjectionException>(() =>
            new RegionOutageInjector(fake.Cluster).InjectAsync(new RegionOutageOptions { Region = "us-west", Mode = "stop" }, fake.Context(), CancellationToken.None));

        Assert.Contains("500", e.Message);
        Assert.Equal(1, fake.Replicas("us-west-1"));
        var patches = fake.Api.Mutations.Where(r => r.Path.EndsWith("indexforge-us-west-1", StringComparison.Ordinal)).Select(r => r.Body).ToList();
        Assert.Equal(["""{"spec":{"replicas":0}}""", """{"spec":{"replicas":1}}"""], patches);
    }

    [Fact]
    public async Task ReplicaKill_UnknownReplica_FailsWithoutChangingAnything()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);

        var e = await Assert.ThrowsAsync<FaultInjectionException>(() =>
            new ReplicaKillInjector(fake.Cluster).InjectAsync(new ReplicaKillOptions { Replica = "eu-1" }, fake.Context(), CancellationToken.None));

        Assert.Contains("no Deployment", e.Message);
        Assert.Empty(fake.Api.Mutations);
    }
}
