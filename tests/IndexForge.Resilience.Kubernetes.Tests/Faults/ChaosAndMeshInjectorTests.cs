using System.Text.Json.Nodes;
using IndexForge.Resilience.Core.Faults.CertRotation;
using IndexForge.Resilience.Core.Faults.MeshFault;
using IndexForge.Resilience.Core.Faults.ReplicaHttpError;
using IndexForge.Resilience.Core.Faults.ReplicaLatency;
using IndexForge.Resilience.Kubernetes.Faults.CertRotation;
using IndexForge.Resilience.Kubernetes.Faults.MeshFault;
using IndexForge.Resilience.Kubernetes.Faults.ReplicaHttpError;
using IndexForge.Resilience.Kubernetes.Faults.ReplicaLatency;
using IndexForge.Resilience.Kubernetes.Tests.Fakes;
using Xunit;

namespace IndexForge.Resilience.Kubernetes.Tests.Faults;

public sealed class ChaosAndMeshInjectorTests
{
    private const string Ns = FakeCluster.Ns;
    private const string VsPath = $"/apis/networking.istio.io/v1/namespaces/{Ns}/virtualservices";

    [Fact]
    public async Task ReplicaHttpError_PutsChaosThroughPortForwardAndClearsIt()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);

        var fault = await new ReplicaHttpErrorInjector(fake.Cluster).InjectAsync(
            new ReplicaHttpErrorOptions { Replica = "us-east-1", Rate = 0.5, StatusCode = 502 }, fake.Context(), CancellationToken.None);

        var put = Assert.Single(fake.Pods["us-east-1"].Requests);
        Assert.Equal(("PUT", "/control/chaos"), (put.Method, put.Path));
        Assert.Equal("""{"errorRate":0.5,"statusCode":502,"latencyMs":0,"latencyRate":0}""", put.Body);
        Assert.Equal("indexforge-us-east-1-abc", fault.Details["pod"]);

        await fault.RevertAsync(CancellationToken.None);
        Assert.Equal(("DELETE", "/control/chaos"), (fake.Pods["us-east-1"].Requests.Last().Method, fake.Pods["us-east-1"].Requests.Last().Path));
        Assert.All(fake.Pods.Where(p => p.Key != "us-east-1"), p => Assert.Empty(p.Value.Requests));
    }

    [Fact]
    public async Task ReplicaLatency_SendsDelayInMilliseconds()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);

        await new ReplicaLatencyInjector(fake.Cluster).InjectAsync(
            new ReplicaLatencyOptions { Replica = "us-west-1", Delay = TimeSpan.FromMilliseconds(250), Rate = 0.25 }, fake.Context(), CancellationToken.None);

        Assert.Equal("""{"errorRate":0,"statusCode":500,"latencyMs":250,"latencyRate":0.25}""", Assert.Single(fake.Pods["us-west-1"].Requests).Body);
    }

    [Fact]
    public async Task ReplicaHttpError_ChaosEndpointRefuses_FailsWithTheStatus()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        fake.Pods["us-west-1"].Routes[("PUT", "/control/chaos")] = _ => (500, "");

        var e = await Assert.ThrowsAsync<Core.Faults.FaultInjectionException>(() => new ReplicaHttpErrorInjector(fake.Cluster).InjectAsync(
            new ReplicaHttpErrorOptions { Replica = "us-west-1" }, fake.Context(), CancellationToken.None));
        Assert.Contains("answered 500", e.Message);
    }

    [Fact]
    public async Task MeshFault_ExistingVirtualService_FaultOnEveryRouteThenOriginalBack()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        var original = fake.Api.Seed($$$$$"""
            {"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"indexforge","namespace":"{{{{{Ns}}}}}"},
             "spec":{"hosts":["indexforge.{{{{{Ns}}}}}.svc.cluster.local"],"http":[
               {"match":[{"uri":{"prefix":"/search"}}],"retries":{"attempts":2},"route":[{"destination":{"host":"indexforge"}}]},
               {"route":[{"destination":{"host":"indexforge"}}]}]}}
            """);
        var originalSpec = original["spec"]!.ToJsonString();

        var fault = await new MeshFaultInjector(fake.Cluster).InjectAsync(
            new MeshFaultOptions { AbortStatus = 503, AbortPercent = 50, Delay = TimeSpan.FromMilliseconds(1500) }, fake.Context(), CancellationToken.None);

        var put = Assert.Single(fake.Api.Mutations);
        Assert.Equal(("PUT", $"{VsPath}/indexforge"), (put.Method, put.Path));
        var expectedFault = """{"abort":{"httpStatus":503,"percentage":{"value":50}},"delay":{"fixedDelay":"1.5s","percentage":{"value":100}}}""";
        var routes = put.Json!["spec"]!["http"]!.AsArray();
        Assert.All(routes, r => Assert.Equal(expectedFault, r!["fault"]!.ToJsonString()));
        Assert.Equal(2, routes[0]!["retries"]!["attempts"]!.GetValue<int>());

        await fault.RevertAsync(CancellationToken.None);
        Assert.Equal(originalSpec, fake.Api.Get($"{VsPath}/indexforge")!["spec"]!.ToJsonString());
    }

    [Fact]
    public async Task MeshFault_NoVirtualService_CreatesOneAndDeletesIt()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);

        var fault = await new MeshFaultInjector(fake.Cluster).InjectAsync(new MeshFaultOptions { AbortStatus = 500 }, fake.Context(), CancellationToken.None);

        var post = Assert.Single(fake.Api.Mutations);
        Assert.Equal(("POST", VsPath), (post.Method, post.Path));
        Assert.Equal("""{"hosts":["indexforge"],"http":[{"fault":{"abort":{"httpStatus":500,"percentage":{"value":100}}},"route":[{"destination":{"host":"indexforge"}}]}]}""",
            post.Json!["spec"]!.ToJsonString());

        await fault.RevertAsync(CancellationToken.None);
        Assert.False(fake.Api.Exists($"{VsPath}/{MeshFaultInjector.CreatedName}"));
        Assert.Equal("DELETE", fake.Api.Mutations.Last().Method);
    }

    [Fact]
    public async Task CertRotation_AllWorkloads_RollingRestartAnnotationOnEachDeployment()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);

        var fault = await new CertRotationInjector(fake.Cluster).InjectAsync(new CertRotationOptions(), fake.Context(), CancellationToken.None);

        Assert.Equal(3, fake.Api.Mutations.Count);
        Assert.All(fake.Api.Mutations, m => Assert.Equal(
            """{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-27T12:00:00Z"}}}}}""", m.Body));
        Assert.Equal("rolling-restart", fault.Details["method"]);
        Assert.Equal(3, fake.Events.Count(e => e.Kind == Core.Targets.TargetEventKinds.CertificateRotated));
    }
}
