using System.Diagnostics;
using System.Net.Sockets;
using IndexForge.Resilience.Core.Metrics;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Mesh.Tests.TestSupport;
using Xunit;

namespace IndexForge.Resilience.Mesh.Tests;

public class MeshDataPlaneTests
{
    private const string OutlierAndFailover = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: search, namespace: indexforge}
        spec:
          host: indexforge-search.indexforge.svc.cluster.local
          trafficPolicy:
            loadBalancer:
              simple: ROUND_ROBIN
              localityLbSetting:
                enabled: true
                failover: [{from: us-west, to: us-east}]
            outlierDetection:
              consecutive5xxErrors: 3
              interval: 1s
              baseEjectionTime: 60s
              maxEjectionPercent: 50
        """;

    private static double Sample(MetricSet set, string name, params (string, string)[] labels) => set.Sum(name, labels);

    [Fact]
    public async Task StartAsync_Defaults_ForwardsOverMutualTlsAndCountsIstioMetrics()
    {
        await using var mesh = await MeshHarness.StartAsync("", 51, [("us-west", 2)]);

        var codes = await mesh.SendAsync(10);

        Assert.All(codes, c => Assert.Equal(200, c));
        Assert.Equal(10, mesh.Replicas.Sum(r => r.Requests));
        Assert.All(mesh.Replicas, r => Assert.Equal(0, r.Inbound!.Stats.PlaintextConnections));
        Assert.Equal(2, mesh.Plane.Resources.ConnectionsTotal); // one kept-alive connection per replica
        Assert.Equal(2, mesh.Replicas.Sum(r => r.Inbound!.Stats.MutualTlsConnections));
        using var source = new HttpMetricsSource(mesh.Plane.MetricsEndpoint);
        var metrics = await source.ScrapeAsync(CancellationToken.None);
        Assert.Equal(10, Sample(metrics, "istio_requests_total", ("reporter", "source"), ("response_code", "200"), ("connection_security_policy", "mutual_tls"),
            ("destination_service", "indexforge-search.indexforge.svc.cluster.local"), ("source_workload", "indexforge-caller")));
        // Each replica's inbound side reports the same requests (reporter="destination"), knowing the caller by its principal.
        Assert.Equal(10, Sample(metrics, "istio_requests_total", ("reporter", "destination"), ("response_code", "200"), ("connection_security_policy", "mutual_tls"),
            ("destination_service", "indexforge-search.indexforge.svc.cluster.local"), ("source_workload", "indexforge-caller")));
        Assert.Equal(20, Sample(metrics, "istio_request_duration_milliseconds_count"));
        Assert.Equal(10, metrics.Named("istio_request_duration_milliseconds_bucket").Where(s => s.Label("le") == "+Inf" && s.Label("reporter") == "source").Sum(s => s.Value));
        Assert.Equal(0, Sample(metrics, "envoy_cluster_outlier_detection_ejections_active",
            ("cluster_name", "outbound|8080||indexforge-search.indexforge.svc.cluster.local")));
        Assert.Null(mesh.Plane.Detector); // no outlierDetection, no detector (as Istio)
    }

    [Fact]
    public async Task Outlier_FailingReplica_IsEjectedInlineAndTrafficShifts()
    {
        await using var mesh = await MeshHarness.StartAsync(OutlierAndFailover, 61, [("us-west", 3), ("us-east", 3)]);
        mesh["us-west-1"].FailStatus = 500;

        var codes = await mesh.SendAsync(60);

        Assert.Equal(3, mesh["us-west-1"].Requests); // the third consecutive 500 ejects at once
        Assert.Equal(3, codes.Count(c => c == 500));
        var ejected = Assert.Single(mesh.Plane.Events, e => e.Kind == TargetEventKinds.Ejected);
        Assert.Equal("us-west-1", ejected.Subject);
        Assert.Contains(mesh.Plane.Events, e => e.Kind == TargetEventKinds.Failover); // P0 keeps 93%: 2/3 × 1.4
        Assert.Equal([93, 7], mesh.Plane.LoadBalancer.PriorityLoad.Load);
        var east = mesh.Replicas.Where(r => r.Id.StartsWith("us-east")).Sum(r => r.Requests);
        Assert.InRange(east, 0, 12);

        // All of us-west failing: 3 of 6 hosts is exactly the 50% maxEjectionPercent allows, so P1 takes everything.
        mesh["us-west-2"].FailStatus = 500;
        mesh["us-west-3"].FailStatus = 500;
        await mesh.SendAsync(30);
        var eastBefore = mesh.Replicas.Where(r => r.Id.StartsWith("us-east")).Sum(r => r.Requests);
        var last = await mesh.SendAsync(20);
        Assert.All(last, c => Assert.Equal(200, c));
        Assert.Equal(eastBefore + 20, mesh.Replicas.Where(r => r.Id.StartsWith("us-east")).Sum(r => r.Requests));
        Assert.Equal([0, 100], mesh.Plane.LoadBalancer.PriorityLoad.Load);

        var metrics = PrometheusText.Parse(mesh.Plane.RenderMetrics());
        var set = new MetricSet(DateTimeOffset.UtcNow, metrics);
        Assert.Equal(3, Sample(set, "envoy_cluster_outlier_detection_ejections_active"));
        Assert.Equal(3, Sample(set, "envoy_cluster_outlier_detection_ejections_enforced_total"));
        Assert.Equal(1, Sample(set, "indexforge_mesh_endpoint_ejected", ("endpoint", "us-west-3")));
        Assert.Equal(100, Sample(set, "indexforge_mesh_priority_load_percent", ("priority", "1")));
    }

    [Fact]
    public async Task Outlier_TenPercentWithSixHosts_NeverEjectsAndCountsOverflows()
    {
        var yaml = OutlierAndFailover.Replace("maxEjectionPercent: 50", "maxEjectionPercent: 10");
        await using var mesh = await MeshHarness.StartAsync(yaml, 71, [("us-west", 3), ("us-east", 3)]);
        mesh["us-west-1"].FailStatus = 500;

        await mesh.SendAsync(40);

        Assert.Equal(0, mesh.Plane.Detector!.EjectionsActive);
        Assert.True(mesh.Plane.Detector.EjectionsOverflow >= 1);
        Assert.Contains(mesh.Plane.Events, e => e.Kind == TargetEventKinds.EjectionOverflow && e.Subject == "us-west-1");
        var set = new MetricSet(DateTimeOffset.UtcNow, PrometheusText.Parse(mesh.Plane.RenderMetrics()));
        Assert.Equal(mesh.Plane.Detector.EjectionsOverflow, Sample(set, "envoy_cluster_outlier_detection_ejections_overflow"));
    }

    [Fact]
    public async Task ConnectionPool_OverLimits_Answers503UOWithOverloadedHeader()
    {
        const string limits = """
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata: {name: search}
            spec:
              host: "*.indexforge.svc.cluster.local"
              trafficPolicy:
                connectionPool:
                  tcp: {maxConnections: 1}
                  http: {http1MaxPendingRequests: 1}
            """;
        await using var mesh = await MeshHarness.StartAsync(limits, 81, [("us-west", 1)]);
        mesh.Replicas[0].Delay = TimeSpan.FromMilliseconds(300);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => mesh.Client.GetAsync("/search")));

        var overflow = responses.Where(r => (int)r.StatusCode == 503).ToArray();
        Assert.NotEmpty(overflow);
        Assert.Contains(responses, r => (int)r.StatusCode == 200);
        Assert.All(overflow, r => Assert.Equal("true", r.Headers.GetValues("x-envoy-overloaded").Single()));
        Assert.Contains("reset reason: overflow", await overflow[0].Content.ReadAsStringAsync());
        var set = new MetricSet(DateTimeOffset.UtcNow, PrometheusText.Parse(mesh.Plane.RenderMetrics()));
        Assert.Equal(overflow.Length, Sample(set, "envoy_cluster_upstream_rq_pending_overflow"));
        Assert.Equal(overflow.Length, Sample(set, "istio_requests_total", ("response_code", "503"), ("response_flags", "UO")));
        Assert.Equal(0, Sample(set, "istio_requests_total", ("reporter", "destination"), ("response_code", "503"))); // an overflow never reaches the replica
        Assert.Equal(6 - overflow.Length, mesh.Replicas[0].Requests);
    }

    [Fact]
    public async Task ConnectionPool_NoLimits_NoOverflow()
    {
        // Negative control of the UO test: the same burst passes with Istio's default (unlimited) pool.
        await using var mesh = await MeshHarness.StartAsync("", 85, [("us-west", 1)]);
        mesh.Replicas[0].Delay = TimeSpan.FromMilliseconds(300);
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => mesh.Client.GetAsync("/search")));
        Assert.All(responses, r => Assert.Equal(200, (int)r.StatusCode));
        Assert.Equal(0, mesh.Plane.Resources.PendingOverflow);
    }

    [Fact]
    public async Task Retries_IstioDefault_Retries503OnAnotherHostButNot500()
    {
        await using var mesh = await MeshHarness.StartAsync("", 91, [("us-west", 2)]);
        mesh["us-west-1"].FailStatus = 503;

        Assert.All(await mesh.SendAsync(20), c => Assert.Equal(200, c));
        Assert.True(mesh.Plane.Resources.Retries >= 1);

        mesh["us-west-1"].FailStatus = 500; // not retriable under Istio's default policy
        Assert.Contains(500, await mesh.SendAsync(20));
    }

    [Fact]
    public async Task Retries_AttemptsZero_DisablesRetries()
    {
        const string noRetries = """
            apiVersion: networking.istio.io/v1alpha3
            kind: VirtualService
            metadata: {name: search}
            spec:
              hosts: [indexforge-search]
              http:
              - route: [{destination: {host: indexforge-search}}]
                retries: {attempts: 0}
            """;
        await using var mesh = await MeshHarness.StartAsync(noRetries, 95, [("us-west", 2)]);
        mesh["us-west-1"].FailStatus = 503;
        Assert.Contains(503, await mesh.SendAsync(20));
        Assert.Equal(0, mesh.Plane.Resources.Retries);
    }

    [Fact]
    public async Task Retries_AllHostsFail_LastResponseFlaggedURX()
    {
        await using var mesh = await MeshHarness.StartAsync("", 101, [("us-west", 2)]);
        foreach (var r in mesh.Replicas) r.FailStatus = 503;
        Assert.All(await mesh.SendAsync(3), c => Assert.Equal(503, c));
        Assert.Equal(9, mesh.Replicas.Sum(r => r.Requests)); // 1 try + 2 retries each
        Assert.Equal(3, mesh.Plane.Metrics.Count(503, Forwarding.ResponseFlags.UpstreamRetryLimitExceeded));
    }

    [Fact]
    public async Task Fault_AbortAllRequests_NeverReachesReplicasNorFeedsOutlierDetection()
    {
        var yaml = OutlierAndFailover.Replace("consecutive5xxErrors: 3", "consecutive5xxErrors: 1");
        await using var mesh = await MeshHarness.StartAsync(yaml, 111, [("us-west", 2)]);
        mesh.Plane.SetFault(abortStatus: 503, abortPercent: 100, delay: null, delayPercent: 0);

        var aborted = await mesh.Client.GetAsync("/search");
        Assert.Equal(503, (int)aborted.StatusCode);
        Assert.Equal("fault filter abort", await aborted.Content.ReadAsStringAsync());
        Assert.All(await mesh.SendAsync(10), c => Assert.Equal(503, c));
        Assert.Equal(0, mesh.Replicas.Sum(r => r.Requests));
        Assert.Equal(0, mesh.Plane.Detector!.EjectionsEnforcedTotal);
        Assert.Equal(11, mesh.Plane.Metrics.Count(503, Forwarding.ResponseFlags.FaultInjected));

        mesh.Plane.ClearFault();
        Assert.All(await mesh.SendAsync(4), c => Assert.Equal(200, c));
        Assert.Contains(mesh.Plane.Events, e => e.Kind == TargetEventKinds.FaultInjected);
    }

    [Fact]
    public async Task Fault_Abort204_AnsweredWithoutABodyOnAConnectionThatStaysUsable()
    {
        await using var mesh = await MeshHarness.StartAsync("", 112, [("us-west", 1)]);
        mesh.Plane.SetFault(abortStatus: 204, abortPercent: 100, delay: null, delayPercent: 0);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(mesh.Plane.EntryPoint.Host, mesh.Plane.EntryPoint.Port);
        await using var stream = new NetworkStream(socket);
        var request = System.Text.Encoding.ASCII.GetBytes("PUT /search HTTP/1.1\r\nHost: indexforge-search\r\nContent-Length: 1\r\n\r\nx");

        // One raw connection, request after request: had the abort written its body, Kestrel would
        // throw on the write and close the connection after the first answer.
        for (var i = 0; i < 3; i++)
        {
            await stream.WriteAsync(request);
            var head = await ReadHeadAsync(stream);
            Assert.StartsWith("HTTP/1.1 204", head);
            Assert.DoesNotContain("Content-Length: 1", head, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(3, mesh.Plane.Metrics.Count(204, Forwarding.ResponseFlags.FaultInjected));
    }

    /// <summary>Reads one response head (a 204 has nothing after it); fails on end of stream or after 5 s.</summary>
    private static async Task<string> ReadHeadAsync(Stream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var bytes = new List<byte>();
        var one = new byte[1];
        while (!(bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, timeout.Token) == 0) Assert.Fail($"the connection closed after: {System.Text.Encoding.ASCII.GetString([.. bytes])}");
            bytes.Add(one[0]);
        }
        return System.Text.Encoding.ASCII.GetString([.. bytes]);
    }

    [Fact]
    public async Task Fault_VirtualServiceDelayAndTimeout_DelayedThen504UT()
    {
        const string vs = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: search}
            spec:
              hosts: ["*.indexforge.svc.cluster.local"]
              http:
              - match: [{uri: {prefix: /slow}}]
                timeout: 200ms
                route: [{destination: {host: indexforge-search.indexforge.svc.cluster.local}}]
              - fault:
                  delay: {fixedDelay: 150ms, percentage: {value: 100}}
                route: [{destination: {host: indexforge-search.indexforge.svc.cluster.local}}]
            """;
        await using var mesh = await MeshHarness.StartAsync(vs, 121, [("us-west", 1)]);

        var watch = Stopwatch.StartNew();
        Assert.Equal(200, (int)(await mesh.Client.GetAsync("/search")).StatusCode);
        Assert.True(watch.ElapsedMilliseconds >= 140, $"{watch.ElapsedMilliseconds} ms");
        Assert.Equal(1, mesh.Plane.Metrics.Count(200, Forwarding.ResponseFlags.DelayInjected));

        mesh.Replicas[0].Delay = TimeSpan.FromSeconds(2);
        watch.Restart();
        var slow = await mesh.Client.GetAsync("/slow");
        Assert.Equal(504, (int)slow.StatusCode);
        Assert.Equal("upstream request timeout", await slow.Content.ReadAsStringAsync());
        Assert.InRange(watch.ElapsedMilliseconds, 150, 1900); // answered by the 200 ms route timeout, not the replica's 2 s
        Assert.Equal(1, mesh.Plane.Metrics.Count(504, Forwarding.ResponseFlags.UpstreamRequestTimeout));
    }

    [Fact]
    public async Task NoHealthyUpstream_EverythingEjected_Answers503UH()
    {
        var yaml = OutlierAndFailover.Replace("consecutive5xxErrors: 3", "consecutive5xxErrors: 1").Replace("maxEjectionPercent: 50", "maxEjectionPercent: 100");
        await using var mesh = await MeshHarness.StartAsync(yaml, 131, [("us-west", 2)]);
        foreach (var r in mesh.Replicas) r.FailStatus = 500;
        await mesh.SendAsync(2);
        var response = await mesh.Client.GetAsync("/search");
        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal("no healthy upstream", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, mesh.Plane.Metrics.Count(503, Forwarding.ResponseFlags.NoHealthyUpstream));
    }

    [Fact]
    public async Task ConnectFailure_DeadEndpoint_RetriedElsewhereOrUFURX()
    {
        await using var mesh = await MeshHarness.StartAsync("", 141, [("us-west", 1)], o => o with
        {
            Endpoints = [.. o.Endpoints, new MeshEndpoint("dead-1", "us-west", "us-west-1z", new Uri($"https://127.0.0.142:{FreePort()}"))],
        });
        Assert.All(await mesh.SendAsync(10), c => Assert.Equal(200, c));
        Assert.True(mesh.Plane.Resources.ConnectFailures >= 1);

        await using var dead = await MeshHarness.StartAsync("", 143, [("us-west", 1)], o => o with
        {
            Endpoints = [new MeshEndpoint("dead-2", "us-west", "us-west-1z", new Uri($"https://127.0.0.144:{FreePort()}"))],
        });
        var response = await dead.Client.GetAsync("/search");
        Assert.Equal(503, (int)response.StatusCode);
        Assert.Contains("retried and the latest reset reason: connection failure", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, dead.Plane.Metrics.Count(503, Forwarding.ResponseFlags.UpstreamConnectionFailure | Forwarding.ResponseFlags.UpstreamRetryLimitExceeded));
    }

    [Fact]
    public async Task Tls_DestinationRuleDisablesTlsToStrictReplica_Fails503UC()
    {
        const string yaml = """
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: default, namespace: indexforge}
            spec: {mtls: {mode: STRICT}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: plaintext, namespace: indexforge}
            spec:
              host: indexforge-search
              trafficPolicy: {tls: {mode: DISABLE}}
            """;
        await using var mesh = await MeshHarness.StartAsync(yaml, 151, [("us-west", 1)]);
        var response = await mesh.Client.GetAsync("/search");
        Assert.Equal(503, (int)response.StatusCode);
        Assert.True(mesh.Replicas[0].Inbound!.Stats.Refused(IndexForge.Resilience.Mesh.Security.TlsRefusal.Plaintext) >= 1);
        // The replica closes the plaintext connection: Envoy's "disconnect/reset before headers", connection termination.
        Assert.Contains("reset reason: connection termination", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, mesh.Plane.Metrics.Count(503, Forwarding.ResponseFlags.UpstreamConnectionTermination));
        Assert.Equal(0, mesh.Replicas[0].Requests);
    }

    [Fact]
    public async Task RotateCertificates_UnderLoad_NoRequestFails()
    {
        await using var mesh = await MeshHarness.StartAsync("", 161, [("us-west", 2)]);
        var before = mesh.Plane.WorkloadTls.ClientCertificate.SerialNumber;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var failures = 0;
        var sent = 0;
        var workers = Enumerable.Range(0, 4).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var r = await mesh.Client.GetAsync("/search");
                Interlocked.Increment(ref sent);
                if ((int)r.StatusCode != 200) Interlocked.Increment(ref failures);
            }
        }).ToArray();
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(400);
            mesh.Plane.RotateCertificates();
        }
        await Task.WhenAll(workers);

        Assert.Equal(0, failures);
        Assert.True(sent > 20);
        Assert.NotEqual(before, mesh.Plane.WorkloadTls.ClientCertificate.SerialNumber);
        Assert.Equal(9, mesh.Plane.Events.Count(e => e.Kind == TargetEventKinds.CertificateRotated));
    }

    [Fact]
    public async Task NetworkLatency_SetAndCleared_AddsDelayOnThePath()
    {
        await using var mesh = await MeshHarness.StartAsync("", 171, [("us-west", 1)]);
        await mesh.SendAsync(1); // warm the connection
        mesh.Plane.SetNetworkLatency("us-west-1", TimeSpan.FromMilliseconds(400));
        var watch = Stopwatch.StartNew();
        await mesh.SendAsync(1);
        Assert.True(watch.ElapsedMilliseconds >= 395, $"{watch.ElapsedMilliseconds} ms");
        mesh.Plane.ClearNetworkLatency("us-west-1");
        var fastest = long.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            watch.Restart();
            await mesh.SendAsync(1);
            fastest = Math.Min(fastest, watch.ElapsedMilliseconds);
        }
        Assert.True(fastest < 300, $"{fastest} ms"); // tolerant: the machine may be busy, but not by 400 ms three times
    }

    [Fact]
    public async Task DisposeAsync_FreesTheListenerPorts()
    {
        var mesh = await MeshHarness.StartAsync("", 181, [("us-west", 1)]);
        var entry = mesh.Plane.EntryPoint;
        var metrics = mesh.Plane.MetricsEndpoint;
        await mesh.DisposeAsync();
        foreach (var uri in new[] { entry, metrics })
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(uri.Host, uri.Port));
        }
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_RefusedWithEveryProblem()
    {
        using var ca = IndexForge.Resilience.Mesh.Security.MeshCertificateAuthority.Create();
        var endpoint = new MeshEndpoint("a", "us-west", "z", new Uri("https://127.0.0.1:1"));
        var e = await Assert.ThrowsAsync<ArgumentException>(() => MeshDataPlane.StartAsync(new MeshDataPlaneOptions
        {
            Ca = ca, Endpoints = [endpoint, endpoint], ServicePort = 0,
        }, CancellationToken.None));
        Assert.Contains("endpoint id a is used twice", e.Message);
        Assert.Contains("ServicePort", e.Message);
    }

    internal static int FreePort()
    {
        using var l = new TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }
}
