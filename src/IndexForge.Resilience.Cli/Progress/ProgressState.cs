using System.Globalization;
using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Cli.Progress;

/// <summary>
/// What a progress display shows, updated from <see cref="Core.Running.IRunObserver"/> calls (at most once per
/// window, off the load engine's hot path). Not thread-safe on its own: observers hold their lock around it.
/// </summary>
internal sealed class ProgressState(TimeProvider time)
{
    public string? RunId { get; private set; }
    public int ScenarioCount { get; private set; }
    public ScenarioProgress? Current { get; private set; }
    public List<ScenarioResult> Finished { get; } = [];

    public void RunStarted(string runId, int scenarioCount) => (RunId, ScenarioCount) = (runId, scenarioCount);

    public ScenarioProgress ScenarioStarted(string scenario, string? variant, TimeSpan planned) =>
        Current = new ScenarioProgress(scenario, variant, planned, time.GetTimestamp(), time);

    /// <summary>The scenario an event belongs to; one that started without ScenarioStarted is tracked from now.</summary>
    public ScenarioProgress For(string scenario) =>
        Current is { } c && c.Name == scenario ? c : ScenarioStarted(scenario, null, TimeSpan.Zero);

    public void ScenarioFinished(ScenarioResult result)
    {
        Finished.Add(result);
        if (Current?.Name == result.Name) Current = null;
    }
}

internal sealed class ScenarioProgress(string name, string? variant, TimeSpan planned, long startedAt, TimeProvider time)
{
    public string Name { get; } = name;
    public string? Variant { get; } = variant;
    public TimeSpan Planned { get; } = planned;
    public string Phase { get; set; } = "-";
    public double Rate { get; private set; }
    public long Completed { get; private set; }
    public long Errors { get; private set; }
    public double? P95 { get; private set; }
    public int Windows { get; private set; }
    public List<string> ActiveFaults { get; } = [];

    public TimeSpan Elapsed => time.GetElapsedTime(startedAt);

    public string Label => Variant is null ? Name : $"{Name} [{Variant}]";

    /// <summary>Rate and p95 are the last window's, as the load engine measured them; errors add up.</summary>
    public void Add(WindowStats w)
    {
        Windows++;
        Rate = w.Length > TimeSpan.Zero ? w.Completed / w.Length.TotalSeconds : 0;
        Completed += w.Completed;
        Errors += w.Failed;
        P95 = w.Latency.Count > 0 ? w.Latency.P95 : null;
        // Windows arrive after they close, so PhaseStarted is the current phase; a window only fills the gap.
        if (Phase == "-" && w.Phase is { Length: > 0 } phase) Phase = phase;
    }
}

/// <summary>How every progress display prints times, rates and results.</summary>
internal static class ProgressText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Clock(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", Inv) : t.ToString(@"mm\:ss", Inv);

    public static string Rate(double perSecond) => perSecond.ToString("0.0", Inv) + "/s";

    public static string Ms(double? ms) => ms is { } v ? v.ToString(v >= 100 ? "0" : "0.0", Inv) + " ms" : "-";

    public static string Verdict(Verdict v) => v switch
    {
        Core.Results.Verdict.Pass => "PASS",
        Core.Results.Verdict.Fail => "FAIL",
        Core.Results.Verdict.Skipped => "SKIP",
        _ => "ERROR",
    };

    /// <summary>"FAIL  outlier-ejection  4 assertions: 2 pass, 1 fail, 1 skipped · p95 11.9 ms · 99.8/s · 62.0 s"</summary>
    public static string ResultLine(ScenarioResult s)
    {
        var name = s.NegativeControlOf is null ? s.Name : $"{s.Name} (control of {s.NegativeControlOf})";
        var counts = string.Join(", ", s.Assertions.GroupBy(a => a.Verdict).OrderBy(g => g.Key)
            .Select(g => $"{g.Count()} {Verdict(g.Key).ToLowerInvariant()}"));
        var line = $"{Verdict(s.Verdict),-5} {name}  {s.Assertions.Count} assertion(s)"
            + (counts.Length > 0 ? $": {counts}" : "")
            + $" · p95 {Ms(s.Load.Latency.Count > 0 ? s.Load.Latency.P95 : null)} · {Rate(s.Load.AchievedRate)} · {s.Duration.TotalSeconds.ToString("0.0", Inv)} s";
        if (s.Error is not null) line += $" · error: {s.Error}";
        var failed = s.Assertions.Where(a => a.Verdict is Core.Results.Verdict.Fail or Core.Results.Verdict.Error).Select(a => a.Name).ToList();
        if (failed.Count > 0) line += $" · failing: {string.Join(", ", failed)}";
        return line;
    }

    public static string RunLine(RunResult run)
    {
        var verdict = run.Aborted ? "ABORTED" : Verdict(run.Verdict);
        var failed = run.Scenarios.Count(s => s.Verdict is Core.Results.Verdict.Fail or Core.Results.Verdict.Error);
        return $"run {run.Manifest.RunId}: {verdict} · {run.Scenarios.Count} scenario(s), {failed} failing"
            + (run.Aborted && run.AbortReason is { } reason ? $" · {reason}" : "");
    }
}
