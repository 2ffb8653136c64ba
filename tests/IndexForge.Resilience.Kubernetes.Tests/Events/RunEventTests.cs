using System.Text.Json.Nodes;
using IndexForge.Resilience.Core.Metrics.PrometheusApi;
using k8s;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Kubernetes.Events;
using IndexForge.Resilience.Kubernetes.Targets;
using IndexForge.Resilience.Kubernetes.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IndexForge.Resilience.Kubernetes.Tests.Events;

public sealed class RunEventTests
{
    private const string Ns = FakeCluster.Ns;
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly string Cluster = KubernetesTargetBase.ServiceClusterName(Ns);

    [Fact]
    public async Task ReplicaPodEvents_PodDeletedThenBack_StoppedThenStartedWithReplicaId()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        var source = new ReplicaPodEvents(fake.Api.Client(), Ns);
        var podPath = $"/api/v1/namespaces/{Ns}/pods/indexforge-us-west-1-abc";
        var pod = fake.Api.Get(podPath)!.ToJsonString();

        Assert.Empty(await source.PollAsync(T0, CancellationToken.None)); // baseline
        Assert.Empty(await source.PollAsync(T0.AddSeconds(1), CancellationToken.None)); // negative control: nothing changed, nothing said
        await fake.Api.Client().CoreV1.DeleteNamespacedPodAsync("indexforge-us-west-1-abc", Ns);
        var stopped = Assert.Single(await source.PollAsync(T0.AddSeconds(2), CancellationToken.None));
        fake.Api.Seed(pod);
        var started = Assert.Single(await source.PollAsync(T0.AddSeconds(3), CancellationToken.None));

        Assert.Equal((TargetEventKinds.ReplicaStopped, "us-west-1", T0.AddSeconds(2)), (stopped.Kind, stopped.Subject, stopped.At));
        Assert.Equal((TargetEventKinds.ReplicaStarted, "us-west-1"), (started.Kind, started.Subject));
    }

    [Fact]
    public async Task ReplicaPodEvents_NotReadyOrTerminating_Stopped_AndIpNamesReplica()
    {
        await using var fake = await FakeCluster.StartAsync(FakeCluster.TwoRegions);
        var source = new ReplicaPodEvents(fake.Api.Client(), Ns);
        var podPath = $"/api/v1/namespaces/{Ns}/pods/indexforge-us-east-1-abc";
        fake.Api.Update(podPath, p => p["status"] = JsonNode.Parse("""{"phase":"Running","podIP":"10.42.0.7","conditions":[{"type":"Ready","status":"True"}]}"""));
        await source.PollAsync(T0, CancellationToken.None);
        Assert.Equal("us-east-1", source.ReplicaOf("10.42.0.7"));
        Assert.Null(source.ReplicaOf("10.42.0.8"));

        fake.Api.Update(podPath, p => p["status"]!["conditions"] = JsonNode.Parse("""[{"type":"Ready","status":"False"}]"""));
        var e = Assert.Single(await source.PollAsync(T0.AddSeconds(1), CancellationToken.None));

        Assert.Equal((TargetEventKinds.ReplicaStopped, "us-east-1"), (e.Kind, e.Subject));
        Assert.Contains("not ready", e.Detail);
    }

    private static string Clusters(params (string Ip, int Priority, bool Ejected)[] hosts) => new JsonObject
    {
        ["cluster_statuses"] = new JsonArray(
            new JsonObject { ["name"] = "outbound|15012||istiod.istio-system.svc.cluster.local", ["host_statuses"] = new JsonArray() },
            new JsonObject
            {
                ["name"] = Cluster,
                ["host_statuses"] = new JsonArray([.. hosts.Select(h => (JsonNode)new JsonObject
                {
                    ["address"] = new JsonObject { ["socket_address"] = new JsonObject { ["address"] = h.Ip, ["port_value"] = 8080 } },
                    ["health_status"] = h.Ejected
                        ? new JsonObject { ["eds_health_status"] = "HEALTHY", ["failed_outlier_check"] = true }
                        : new JsonObject { ["eds_health_status"] = "HEALTHY" },
                    ["priority"] = h.Priority,
                })]),
            }),
    }.ToJsonString();

    [Fact]
    public async Task EnvoyHostEvents_HostFailsOutlierCheck_EjectedThenUnejectedNamedByReplica_AndFailover()
    {
        await using var admin = await FakePod.StartAsync();
        var state = Clusters(("10.0.0.1", 0, false), ("10.0.0.2", 0, false), ("10.0.0.3", 1, false));
        admin.Routes[("GET", "/clusters")] = _ => (200, state);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{admin.EndPoint}/") };
        var names = new Dictionary<string, string> { ["10.0.0.1"] = "us-west-1", ["10.0.0.2"] = "us-west-2", ["10.0.0.3"] = "us-east-1" };
        var source = new EnvoyHostEvents(http, Cluster, names.GetValueOrDefault, "gateway");

        Assert.Empty(await source.PollAsync(T0, CancellationToken.None));
        Assert.Empty(await source.PollAsync(T0.AddSeconds(1), CancellationToken.None)); // negative control
        state = Clusters(("10.0.0.1", 0, true), ("10.0.0.2", 0, false), ("10.0.0.3", 1, false));
        var ejected = await source.PollAsync(T0.AddSeconds(2), CancellationToken.None);
        state = Clusters(("10.0.0.1", 0, false), ("10.0.0.2", 0, false), ("10.0.0.3", 1, false));
        var back = await source.PollAsync(T0.AddSeconds(3), CancellationToken.None);

        Assert.Equal([(TargetEventKinds.Ejected, "us-west-1"), (TargetEventKinds.Failover, Cluster)], ejected.Select(e => (e.Kind, e.Subject)));
        Assert.Contains("70%", ejected[1].Detail); // 1 of 2 P0 hosts healthy × 1.4
        Assert.Equal([(TargetEventKinds.Unejected, "us-west-1"), (KubeEventKinds.Failback, Cluster)], back.Select(e => (e.Kind, e.Subject)));
        Assert.Contains(admin.Requests, r => r.Path == "/clusters" && r.Query == "?format=json");
    }

    [Theory]
    [InlineData(3, 3, 100)] // all of P0 healthy
    [InlineData(3, 2, 93.3)] // 66.7% healthy × 1.4: the first spill
    [InlineData(2, 0, 0)]
    public void PriorityZeroLoad_OverprovisioningFactor(int p0, int healthy, double expected)
    {
        var hosts = Enumerable.Range(0, p0).Select(i => new EnvoyHost($"10.0.0.{i}", 8080, 0, i >= healthy, true)).Append(new EnvoyHost("10.0.1.1", 8080, 1, false, true)).ToList();
        Assert.Equal(expected, EnvoyHostEvents.PriorityZeroLoad(hosts)!.Value, 1);
        Assert.Null(EnvoyHostEvents.PriorityZeroLoad(hosts.Where(h => h.Priority == 0).ToList())); // one priority: no failover to speak of
    }

    [Fact]
    public async Task OutlierCounterEvents_OverflowGrows_OverflowEventPerCluster_UnchangedSaysNothing()
    {
        await using var prom = await FakePod.StartAsync();
        var overflow = 0;
        var queries = new List<string>();
        prom.Routes[("POST", "/api/v1/query")] = body =>
        {
            var query = Uri.UnescapeDataString(body.Replace('+', ' ')).Split("query=")[1].Split('&')[0];
            queries.Add(query);
            var value = query.Contains(OutlierCounterEvents.Overflow) ? overflow : 1;
            return (200, $$$"""{"status":"success","data":{"resultType":"vector","result":[{"metric":{"cluster_name":"{{{Cluster}}}","instance":"10.42.0.9:15090"},"value":[1764244800,"{{{value}}}"]}]}}""");
        };
        var source = new OutlierCounterEvents(new PrometheusApiClient(new HttpClient { BaseAddress = new Uri($"http://{prom.EndPoint}/") }), Ns);

        Assert.Empty(await source.PollAsync(T0, CancellationToken.None));
        Assert.Empty(await source.PollAsync(T0.AddSeconds(1), CancellationToken.None)); // negative control
        overflow = 2;
        var e = Assert.Single(await source.PollAsync(T0.AddSeconds(2), CancellationToken.None));

        Assert.Equal((TargetEventKinds.EjectionOverflow, Cluster), (e.Kind, e.Subject));
        Assert.Contains("+2", e.Detail);
        Assert.Contains($"sum by (cluster_name, instance) ({OutlierCounterEvents.Overflow}{{namespace=\"{Ns}\"}})", queries);
    }

    private sealed class ScriptedSource(string name, Func<CancellationToken, Task<IReadOnlyList<TargetEvent>>> poll) : IRunEventSource
    {
        public string Name => name;
        public Task<IReadOnlyList<TargetEvent>> PollAsync(DateTimeOffset now, CancellationToken cancellationToken) => poll(cancellationToken);
    }

    [Fact]
    public async Task Recorder_FailingSourceReportedOnce_OthersStillPolled()
    {
        var polls = 0;
        var failing = new ScriptedSource("prometheus", _ => throw new HttpRequestException("connection refused"));
        var ok = new ScriptedSource("pods", _ => Task.FromResult<IReadOnlyList<TargetEvent>>([new TargetEvent(T0.AddSeconds(++polls), TargetEventKinds.ReplicaStopped, "r", "")]));
        await using var recorder = new RunEventRecorder([failing, ok], new FakeTimeProvider(T0));

        await recorder.PollOnceAsync(CancellationToken.None);
        await recorder.PollOnceAsync(CancellationToken.None);

        var events = recorder.Since(DateTimeOffset.MinValue);
        var failed = Assert.Single(events, e => e.Kind == KubeEventKinds.EventSourceFailed);
        Assert.Equal("prometheus", failed.Subject);
        Assert.Contains("connection refused", failed.Detail);
        Assert.Equal(2, events.Count(e => e.Kind == TargetEventKinds.ReplicaStopped));
        Assert.Equal(2, recorder.FailedPolls);
        Assert.Single(recorder.Since(T0.AddSeconds(2)), e => e.Kind == TargetEventKinds.ReplicaStopped);
    }

    [Fact]
    public async Task Recorder_Bounded_DropsBeyondMaxAndCountsThem()
    {
        var source = new ScriptedSource("pods", _ => Task.FromResult<IReadOnlyList<TargetEvent>>([.. Enumerable.Range(0, 3).Select(i => new TargetEvent(T0, "x", $"{i}", ""))]));
        await using var recorder = new RunEventRecorder([source], new FakeTimeProvider(T0), maxEvents: 4);

        await recorder.PollOnceAsync(CancellationToken.None);
        await recorder.PollOnceAsync(CancellationToken.None);

        Assert.Equal(4, recorder.Since(T0).Count);
        Assert.Equal(2, recorder.Dropped);
    }

    [Fact]
    public async Task Recorder_HungSource_PollTimesOutAndStopReturns()
    {
        var hung = new ScriptedSource("gateway envoy admin", async ct => { await Task.Delay(Timeout.Infinite, ct); return []; });
        await using var recorder = new RunEventRecorder([hung], TimeProvider.System, interval: TimeSpan.FromMilliseconds(10), pollTimeout: TimeSpan.FromMilliseconds(50));

        recorder.Start();
        // The loop must go on after a hung poll: wait (bounded) for a second timed-out poll.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (recorder.FailedPolls < 2 && DateTime.UtcNow < deadline) await Task.Delay(20);
        var stop = recorder.StopAsync();
        Assert.Same(stop, await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(5))));
        await stop;

        var failed = Assert.Single(recorder.Since(DateTimeOffset.MinValue));
        Assert.Contains("no answer within", failed.Detail);
        Assert.True(recorder.FailedPolls >= 2, $"polled {recorder.FailedPolls} times: the loop went on after a hung poll");
    }

    [Fact]
    public async Task AlertSource_ReadsTheRunsPrometheus()
    {
        await using var prom = await FakePod.StartAsync();
        prom.Routes[("GET", "/api/v1/alerts")] = _ => (200, """{"status":"success","data":{"alerts":[{"labels":{"alertname":"IndexForgeHighErrorRate"},"annotations":{},"state":"firing","activeAt":"2026-11-27T12:00:00Z","value":"0.5"}]}}""");
        var source = KubernetesTargetBase.AlertSourceFor(new PrometheusApiClient(new HttpClient { BaseAddress = new Uri($"http://{prom.EndPoint}/") }));

        Assert.Null(source.Unavailable); // an unavailable source would skip every alert assertion
        var alert = Assert.Single(await source.ActiveAlertsAsync(CancellationToken.None));
        Assert.Equal(("IndexForgeHighErrorRate", "firing"), (alert.Labels["alertname"], alert.State));

        prom.Routes[("GET", "/api/v1/alerts")] = _ => (200, """{"status":"success","data":{"alerts":[]}}""");
        Assert.Empty(await source.ActiveAlertsAsync(CancellationToken.None)); // negative control: a quiet Prometheus shows nothing firing
    }
}
