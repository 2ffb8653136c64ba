using IndexForge.Resilience.Core.Alerts;
using IndexForge.Resilience.Core.Assertions;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Metrics;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Core.Scenarios;
using IndexForge.Resilience.Core.Targets;
using Xunit;

namespace IndexForge.Resilience.Core.Tests.Assertions;

/// <summary>
/// Builds synthetic runs for evaluator tests: one-second windows with per-replica traffic shares,
/// faults, timeline events and metric scrapes. Replicas: us-west-1..3, us-east-1..3.
/// </summary>
internal sealed class AssertionFixture
{
    public static readonly string[] Replicas = ["us-west-1", "us-west-2", "us-west-3", "us-east-1", "us-east-2", "us-east-3"];
    private readonly List<LoadWindow> _windows = [];
    private readonly List<PhaseSpan> _phases = [];
    public List<FaultRecord> Faults { get; } = [];
    public List<TimelineEvent> Events { get; } = [];
    public List<(TimeSpan At, MetricSet Metrics)> Series { get; } = [];
    public AlertTimeline? Alerts { get; set; }
    public string? MeshDirectory { get; set; }

    /// <summary>Set: the run is marked "load generator saturated" with this reason.</summary>
    public string? SaturationReason { get; set; }

    /// <summary>
    /// Adds <paramref name="seconds"/> one-second windows of <paramref name="perWindow"/> requests spread
    /// over <paramref name="servedBy"/> (round robin); <paramref name="failed"/> of them fail with <paramref name="error"/>.
    /// </summary>
    public AssertionFixture Windows(int seconds, int perWindow, string[] servedBy, string phase = "steady", int failed = 0,
        ErrorClass error = ErrorClass.Http5xx, long latencyMicros = 1000, long? serviceMicros = null)
    {
        var start = _windows.Count == 0 ? TimeSpan.Zero : _windows[^1].End;
        for (var s = 0; s < seconds; s++)
        {
            var w = new LoadWindow { Index = _windows.Count, Start = start + TimeSpan.FromSeconds(s), Length = TimeSpan.FromSeconds(1), Phase = phase };
            w.Completed = perWindow;
            w.Failed = failed;
            w.Succeeded = perWindow - failed;
            w.Sent = w.Scheduled = perWindow;
            if (failed > 0) w.Errors[error] = failed;
            w.StatusCodes[200] = perWindow - failed;
            if (failed > 0 && error == ErrorClass.Http5xx) w.StatusCodes[503] = failed;
            for (var i = 0; i < perWindow - failed; i++)
            {
                var replica = servedBy[i % servedBy.Length];
                w.ByReplica[replica] = w.ByReplica.GetValueOrDefault(replica) + 1;
                var region = replica[..replica.LastIndexOf('-')];
                w.ByRegion[region] = w.ByRegion.GetValueOrDefault(region) + 1;
                w.Latency.RecordValue(latencyMicros + i % 100);
                if (serviceMicros is { } service) w.ServiceLatency.RecordValue(service + i % 100);
            }
            _windows.Add(w);
        }
        var end = _windows[^1].End;
        if (_phases.Count > 0 && _phases[^1].Name == phase) _phases[^1] = _phases[^1] with { End = end };
        else _phases.Add(new PhaseSpan(phase, "constant", start, end, "mesh"));
        return this;
    }

    public AssertionFixture Fault(string name, string type, string subject, double start, double? end, Dictionary<string, string>? details = null,
        string? error = null, bool injected = true) =>
        Add(() => Faults.Add(new FaultRecord
        {
            Name = name, Type = type, Subject = subject, Target = subject, Start = TimeSpan.FromSeconds(start), End = end is { } e ? TimeSpan.FromSeconds(e) : null,
            Injected = injected, Reverted = end is not null, Error = error, Details = details ?? [],
        }));

    public AssertionFixture Event(double at, string kind, string subject, string detail = "") =>
        Add(() => Events.Add(new TimelineEvent(TimeSpan.FromSeconds(at), kind, subject, detail)));

    /// <summary>One scrape at <paramref name="at"/> seconds with the given counters.</summary>
    public AssertionFixture Scrape(double at, params (string Name, double Value)[] samples) =>
        Add(() => Series.Add((TimeSpan.FromSeconds(at), new MetricSet(DateTimeOffset.UnixEpoch.AddSeconds(at),
            samples.Select(s => new MetricSample(s.Name, new Dictionary<string, string> { ["cluster_name"] = "search" }, s.Value)).ToList()))));

    private AssertionFixture Add(Action a) { a(); return this; }

    public AssertionContext Context() => new()
    {
        Scenario = new Scenario { Name = "fixture", Claim = "fixture" },
        Load = new LoadRun { StartedAt = DateTimeOffset.UnixEpoch, Windows = _windows, Phases = _phases, Saturated = SaturationReason is not null, SaturationReason = SaturationReason },
        Faults = Faults,
        Events = Events,
        MetricSeries = Series,
        Environment = new TargetEnvironment
        {
            EntryPoint = new Uri("http://127.0.0.1:1"),
            Replicas = Replicas.Select(r => new ReplicaEndpoint(r, r[..r.LastIndexOf('-')], "z", new Uri("http://127.0.0.1:1"))).ToList(),
        },
        Alerts = Alerts,
        MeshConfigDirectory = MeshDirectory,
    };

    public static AssertionResult Evaluate(AssertionOptions options, AssertionContext context)
    {
        Assert.True(AssertionEvaluators.Default.TryGet(options.Type, out var evaluator), $"no evaluator registered for {options.Type}");
        return evaluator.Evaluate(options, context);
    }

    public static string[] AllBut(string replica) => Replicas.Where(r => r != replica).ToArray();
}
