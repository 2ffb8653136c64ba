using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using IndexForge.Resilience.Core.Metrics;
using IndexForge.Resilience.Mesh.Forwarding;
using IndexForge.Resilience.Mesh.Telemetry;
using IndexForge.Resilience.Mesh.Tests.TestSupport;
using IndexForge.Resilience.Testing;
using Xunit;

namespace IndexForge.Resilience.Mesh.Tests.Telemetry;

public class MeshMetricsTests
{
    private static readonly MeshEndpoint[] Endpoints = [new("us-west-1", "us-west", "a", new Uri("https://127.0.0.1:1")) { Workload = "search \"west\"" }];

    [Fact]
    public void WriteTo_RecordedRequests_ParseBackWithCumulativeBuckets()
    {
        var metrics = new MeshMetrics("loadgen", "indexforge", "indexforge-search.indexforge.svc.cluster.local", Endpoints);
        metrics.Record(0, 200, ResponseFlags.None, true, 0.3);
        metrics.Record(0, 200, ResponseFlags.None, true, 7);
        metrics.Record(0, 503, ResponseFlags.UpstreamConnectionFailure | ResponseFlags.UpstreamRetryLimitExceeded, true, 12);
        metrics.Record(-1, 503, ResponseFlags.FaultInjected, false, 0.1);
        var text = new StringBuilder();
        metrics.WriteTo(text);

        var set = new MetricSet(DateTimeOffset.UnixEpoch, PrometheusText.Parse(text.ToString()));

        Assert.Equal(2, set.Sum("istio_requests_total", ("response_code", "200"), ("destination_workload", "search \"west\""), ("connection_security_policy", "mutual_tls")));
        Assert.Equal(1, set.Sum("istio_requests_total", ("response_flags", "UF,URX")));
        Assert.Equal(1, set.Sum("istio_requests_total", ("response_flags", "FI"), ("destination_workload", "unknown"), ("connection_security_policy", "unknown")));
        var ok = ("response_code", "200");
        Assert.Equal(1, set.Sum("istio_request_duration_milliseconds_bucket", ok, ("le", "0.5")));
        Assert.Equal(1, set.Sum("istio_request_duration_milliseconds_bucket", ok, ("le", "5")));
        Assert.Equal(2, set.Sum("istio_request_duration_milliseconds_bucket", ok, ("le", "10")));
        Assert.Equal(2, set.Sum("istio_request_duration_milliseconds_bucket", ok, ("le", "+Inf")));
        Assert.Equal(7.3, set.Sum("istio_request_duration_milliseconds_sum", ok), 3);
        Assert.Equal(2, set.Sum("istio_request_duration_milliseconds_count", ok));
        Assert.Equal(4, set.Sum("istio_requests_total"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DestinationReporter_AuthorizationPolicyDeniesTheCaller_AuthFailureShareAsTheHardenedRuleComputesIt(bool deny)
    {
        // ServiceMeshAuthFailure (clusters/hardened): 401|403 share of reporter="destination" requests.
        // The negative control (no policy) keeps the share at 0, so the same expression cannot fire.
        var yaml = deny ? """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: allow-only-admin, namespace: indexforge}
            spec:
              action: ALLOW
              rules:
              - from:
                - source:
                    principals: ["cluster.local/ns/indexforge/sa/admin"]
            """ : "";
        await using var mesh = await MeshHarness.StartAsync(yaml, deny ? 197 : 199, [("us-west", 1)]);
        var codes = await mesh.SendAsync(4);

        Assert.All(codes, c => Assert.Equal(deny ? 403 : 200, c));
        var set = new MetricSet(DateTimeOffset.UnixEpoch, PrometheusText.Parse(mesh.Plane.RenderMetrics()));
        var destination = ("reporter", "destination");
        var refused = set.Sum("istio_requests_total", destination, ("response_code", "403"));
        var all = set.Sum("istio_requests_total", destination);
        Assert.Equal(4, all);
        Assert.Equal(deny ? 1.0 : 0.0, refused / all);
        var caller = set.Named("istio_requests_total").First(s => s.Label("reporter") == "destination");
        Assert.Equal("indexforge-caller", caller.Label("source_workload"));
        Assert.StartsWith("spiffe://cluster.local/ns/indexforge/sa/", caller.Label("source_principal"));
        Assert.Equal("mutual_tls", caller.Label("connection_security_policy"));
    }

    [Fact]
    public void ToShortString_Flags_EnvoyOrderAndDashForNone()
    {
        Assert.Equal("-", ResponseFlags.None.ToShortString());
        Assert.Equal("UF,URX", (ResponseFlags.UpstreamRetryLimitExceeded | ResponseFlags.UpstreamConnectionFailure).ToShortString());
        Assert.Equal("DI,FI", (ResponseFlags.FaultInjected | ResponseFlags.DelayInjected).ToShortString());
    }

    [RequiresToolFact("promtool", "prometheus")]
    public async Task Exposition_Promtool_ParsesWithLintNoticesOnly()
    {
        await using var mesh = await MeshHarness.StartAsync("", 191, [("us-west", 1)]);
        await mesh.SendAsync(3);
        var psi = new ProcessStartInfo("promtool", "check metrics") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var promtool = Process.Start(psi)!;
        await promtool.StandardInput.WriteAsync(mesh.Plane.RenderMetrics());
        promtool.StandardInput.Close();
        var output = await promtool.StandardOutput.ReadToEndAsync() + await promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();
        Assert.NotEqual(1, promtool.ExitCode); // 1 = parse error; 3 = lint notices (Envoy's own names have some)
        Assert.DoesNotContain("parsing error", output);
        Assert.DoesNotContain("istio_requests_total", output); // Istio's names pass the lint
    }

    [RequiresToolFact("prometheus")]
    public async Task Exposition_RealPrometheus_ScrapesAndQueries()
    {
        await using var mesh = await MeshHarness.StartAsync("", 193, [("us-west", 1)]);
        await mesh.SendAsync(5);
        var dir = Directory.CreateTempSubdirectory("mesh-prom-").FullName;
        var port = MeshDataPlaneTests.FreePort();
        var target = $"{mesh.Plane.MetricsEndpoint.Host}:{mesh.Plane.MetricsEndpoint.Port}";
        await File.WriteAllTextAsync(Path.Combine(dir, "prometheus.yml"), $$"""
            global: {scrape_interval: 1s}
            scrape_configs:
            - job_name: mesh
              metrics_path: /metrics
              static_configs: [{targets: ["{{target}}"]}]
            """);
        var psi = new ProcessStartInfo("prometheus")
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            ArgumentList = { $"--config.file={Path.Combine(dir, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(dir, "data")}", $"--web.listen-address=127.0.0.1:{port}" },
        };
        using var prometheus = Process.Start(psi)!;
        _ = prometheus.StandardOutput.ReadToEndAsync();
        _ = prometheus.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var deadline = DateTime.UtcNow.AddSeconds(20);
            double? requests = null;
            while (DateTime.UtcNow < deadline && requests is null)
            {
                await Task.Delay(500);
                try
                {
                    var json = await http.GetStringAsync("/api/v1/query?query=sum(istio_requests_total{reporter=\"source\",response_code=\"200\"})");
                    var result = JsonDocument.Parse(json).RootElement.GetProperty("data").GetProperty("result");
                    if (result.GetArrayLength() > 0) requests = double.Parse(result[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
            }
            Assert.Equal(5, requests);
            var up = await http.GetStringAsync("/api/v1/targets");
            Assert.Contains("\"health\":\"up\"", up);
            Assert.DoesNotContain("\"lastError\":\"text format", up);
        }
        finally
        {
            prometheus.Kill();
            await prometheus.WaitForExitAsync();
            Directory.Delete(dir, recursive: true);
        }
    }
}
