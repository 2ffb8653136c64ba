using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IndexForge.Resilience.Core.Alerts;
using IndexForge.Resilience.Core.Assertions;
using IndexForge.Resilience.Core.Assertions.AlertFires;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Core.Scenarios;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Embedded.Prometheus;
using IndexForge.Resilience.Testing;
using Xunit;

namespace IndexForge.Resilience.Embedded.Tests.Prometheus;

public class EmbeddedPrometheusTests
{
    private const string RulesYaml = """
        groups:
          - name: demo
            rules:
              - alert: DemoFailing
                expr: demo_failing == 1
              - alert: GhostDown
                expr: ghost_up == 0
        """;

    [RequiresToolFact("prometheus")]
    public async Task AlertFires_RealPrometheusOverTinyEndpoint_PassesAndFlagsRuleOnMissingMetric()
    {
        var work = Directory.CreateTempSubdirectory("prom-test");
        try
        {
            await FiresEndToEnd(work);
        }
        finally { work.Delete(true); }
    }

    private static async Task FiresEndToEnd(DirectoryInfo work)
    {
        var failing = 0;
        using var metrics = new TinyMetricsServer(() => $"# TYPE demo_failing gauge\ndemo_failing {Volatile.Read(ref failing)}\n");
        var rules = Path.Combine(work.FullName, "rules.yaml");
        await File.WriteAllTextAsync(rules, RulesYaml);
        var (server, source) = await EmbeddedPrometheus.StartAsync(new EmbeddedPrometheusOptions
        {
            WorkDirectory = work.FullName,
            Targets = [new PrometheusScrapeTarget(EmbeddedPrometheusConstants.MeshJob, metrics.Url)],
            RuleFiles = [rules],
        }, CancellationToken.None);
        Assert.NotNull(server);
        string directory;
        AlertTimeline timeline;
        var faultAt = TimeSpan.FromSeconds(3);
        await using (server)
        {
            directory = Directory.GetDirectories(work.FullName).Single();
            var clock = Stopwatch.StartNew();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(11));
            var recording = AlertRecorder.RecordAsync(source, () => clock.Elapsed, TimeProvider.System, AlertConstants.PollInterval, stop.Token);
            await Task.Delay(faultAt);
            Volatile.Write(ref failing, 1);
            timeline = await recording;
        }
        Assert.False(Directory.Exists(directory), "the server's temporary directory was left behind");
        Assert.False(IsRunning(server!.ProcessId), "prometheus must be stopped at dispose");

        var context = Context(timeline, faultAt);
        var fires = Evaluator().Evaluate(Options("DemoFailing"), context);
        Assert.True(fires.Verdict == Verdict.Pass, $"{fires.Observed}: {fires.Message}");
        Assert.Equal(Verdict.Fail, Evaluator().Evaluate(Options("DemoFailing") with { Within = TimeSpan.FromMilliseconds(1) }, Context(timeline, TimeSpan.Zero)).Verdict);
        var ghost = Evaluator().Evaluate(Options("GhostDown"), context);
        Assert.Equal(Verdict.Fail, ghost.Verdict);
        Assert.Equal(AlertFiresConstants.NoSourceMetricFinding, Assert.Single(ghost.Findings).Id);
    }

    [Fact]
    public async Task StartAsync_PrometheusMissing_AlertAssertionIsSkippedWithTheReason()
    {
        var work = Directory.CreateTempSubdirectory("prom-missing");
        var (server, source) = await EmbeddedPrometheus.StartAsync(new EmbeddedPrometheusOptions
        {
            WorkDirectory = work.FullName,
            Executable = Path.Combine(work.FullName, "no-such-prometheus"),
        }, CancellationToken.None);
        Assert.Null(server);
        var timeline = await AlertRecorder.RecordAsync(source, () => TimeSpan.Zero, TimeProvider.System, AlertConstants.PollInterval, CancellationToken.None);
        var result = Evaluator().Evaluate(Options("DemoFailing"), Context(timeline, TimeSpan.Zero));
        Assert.Equal(Verdict.Skipped, result.Verdict);
        Assert.Equal("prometheus is not installed (apt-get install prometheus)", result.Message);
        Assert.Empty(Directory.GetDirectories(work.FullName));
        work.Delete(true);
    }

    [Fact]
    public void RuleFilesOf_MeshDirectory_ListsTopLevelRuleFilesOnly()
    {
        var root = FindRepository();
        var files = EmbeddedPrometheusOptions.RuleFilesOf(Path.Combine(root, "clusters", "hardened"));
        Assert.Equal(["rules.yaml"], files.Select(Path.GetFileName));
    }

    private static string FindRepository()
    {
        var dir = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(dir, "clusters"))) dir = Path.GetDirectoryName(dir) ?? throw new DirectoryNotFoundException("clusters/");
        return dir;
    }

    private static IAssertionEvaluator Evaluator() =>
        AssertionEvaluators.Default.TryGet(AssertionTypes.AlertFires, out var e) ? e : throw new InvalidOperationException("alert-fires not registered");

    private static AlertFiresOptions Options(string alert) => new()
    {
        Name = alert, Type = AssertionTypes.AlertFires, Alert = alert, During = "break", Within = TimeSpan.FromSeconds(5),
    };

    private static AssertionContext Context(AlertTimeline timeline, TimeSpan faultAt) => new()
    {
        Scenario = new Scenario { Name = "prom", Claim = "prom" },
        Load = new LoadRun { StartedAt = DateTimeOffset.UnixEpoch, Windows = [], Phases = [] },
        Faults = [new FaultRecord { Name = "break", Type = "replica-http-error", Subject = "us-west-1", Start = faultAt, Injected = true }],
        Events = [],
        MetricSeries = [],
        Environment = new TargetEnvironment { EntryPoint = new Uri("http://127.0.0.1:1"), Replicas = [] },
        Alerts = timeline,
    };

    /// <summary>A one-route HTTP server on 127.0.0.1:0 answering /metrics, enough for a scrape.</summary>
    private sealed class TinyMetricsServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Func<string> _body;

        public TinyMetricsServer(Func<string> body)
        {
            _body = body;
            _listener.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/metrics");
            _ = AcceptAsync();
        }

        public Uri Url { get; }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (OperationCanceledException) { return; }
                catch (ObjectDisposedException) { return; }
                _ = ServeAsync(client);
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var buffer = new byte[8192];
                    var seen = new StringBuilder();
                    while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var n = await stream.ReadAsync(buffer, _stop.Token);
                        if (n == 0) return;
                        seen.Append(Encoding.ASCII.GetString(buffer, 0, n));
                    }
                    var body = Encoding.UTF8.GetBytes(_body());
                    var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                    await stream.WriteAsync(head, _stop.Token);
                    await stream.WriteAsync(body, _stop.Token);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or SocketException) { }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false; // no such process (the exception type depends on how far it got in exiting)
        }
    }
}
