using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using IndexForge.Resilience.Core.Metrics.PrometheusApi;
using IndexForge.Resilience.Testing;
using Xunit;

namespace IndexForge.Resilience.Core.Tests.Metrics.PrometheusApi;

/// <summary>The client against a real prometheus (Debian package) with an alert rule that always fires.</summary>
public sealed class PrometheusApiClientRealServerTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("indexforge-prom-").FullName;
    private Process? _prometheus;
    private HttpClient? _http;

    public Task InitializeAsync() => Task.CompletedTask;

    [RequiresToolFact("prometheus")]
    public async Task RealPrometheus_QueryRangeAlertsRules_RoundTrip()
    {
        var client = await StartAsync();

        var instant = await client.QueryAsync("vector(3)");
        Assert.Equal(3, instant.SingleValue());

        var now = DateTimeOffset.UtcNow;
        var range = await client.QueryRangeAsync("vector(1)", now.AddSeconds(-10), now, TimeSpan.FromSeconds(2));
        Assert.Equal(PromResultTypes.Matrix, range.ResultType);
        Assert.Equal(6, Assert.Single(range.Series).Points.Count);

        var bad = await Assert.ThrowsAsync<PrometheusApiException>(() => client.QueryAsync("sum("));
        Assert.Equal("bad_data", bad.ErrorType);

        // Evaluation runs every second; the always-true rule fires on its first evaluation (no `for`).
        IReadOnlyList<PromAlert> alerts = [];
        for (var i = 0; i < 100 && !alerts.Any(a => a.Firing); i++)
        {
            alerts = await client.AlertsAsync();
            if (!alerts.Any(a => a.Firing)) await Task.Delay(100);
        }
        var firing = Assert.Single(alerts, a => a.Firing);
        Assert.Equal("AlwaysFiring", firing.Name);
        Assert.Equal("test", firing.Labels["severity"]);
        Assert.DoesNotContain(alerts, a => a.Name == "NeverFiring");

        var groups = await client.RulesAsync();
        var rules = Assert.Single(groups).Rules;
        Assert.Equal(["AlwaysFiring", "NeverFiring"], rules.Select(r => r.Name));
        Assert.Equal(TimeSpan.FromMinutes(1), rules[1].Duration);
    }

    private async Task<PrometheusApiClient> StartAsync()
    {
        File.WriteAllText(Path.Combine(_dir, "rules.yml"), """
            groups:
              - name: test
                interval: 1s
                rules:
                  - alert: AlwaysFiring
                    expr: vector(1) > 0
                    labels: { severity: test }
                  - alert: NeverFiring
                    expr: vector(0) > 1
                    for: 1m
            """);
        File.WriteAllText(Path.Combine(_dir, "prometheus.yml"), """
            global: { evaluation_interval: 1s }
            rule_files: [rules.yml]
            """);
        var port = FreePort();
        _prometheus = Process.Start(new ProcessStartInfo("prometheus")
        {
            ArgumentList =
            {
                $"--config.file={Path.Combine(_dir, "prometheus.yml")}",
                $"--storage.tsdb.path={Path.Combine(_dir, "data")}",
                $"--web.listen-address=127.0.0.1:{port}",
            },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        _prometheus.ErrorDataReceived += (_, _) => { };
        _prometheus.BeginErrorReadLine();
        _prometheus.BeginOutputReadLine();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var ready = await _http.GetAsync("-/ready");
                if (ready.StatusCode == HttpStatusCode.OK) return new PrometheusApiClient(_http);
            }
            catch (HttpRequestException) { }
            await Task.Delay(50);
        }
        throw new InvalidOperationException("prometheus did not become ready in 10 s");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public Task DisposeAsync()
    {
        _http?.Dispose();
        if (_prometheus is { HasExited: false })
        {
            _prometheus.Kill();
            _prometheus.WaitForExit(5000);
        }
        _prometheus?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}
