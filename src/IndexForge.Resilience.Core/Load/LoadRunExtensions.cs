using HdrHistogram;
using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Core.Load;

/// <summary>Conversions the runner, the live view and the reports share, so figures are computed once, one way.</summary>
public static class LoadRunExtensions
{
    public static WindowStats ToWindowStats(this LoadWindow window) => new()
    {
        Index = window.Index,
        Start = window.Start,
        Length = window.Length,
        Phase = window.Phase,
        Scheduled = window.Scheduled,
        Sent = window.Sent,
        Completed = window.Completed,
        Succeeded = window.Succeeded,
        Failed = window.Failed,
        Dropped = window.Dropped,
        StatusCodes = new Dictionary<int, long>(window.StatusCodes),
        Errors = window.Errors.ToDictionary(e => e.Key.ToKey(), e => e.Value),
        ByReplica = new Dictionary<string, long>(window.ByReplica),
        ByRegion = new Dictionary<string, long>(window.ByRegion),
        Latency = LoadHistograms.Summarize(window.Latency),
        ServiceLatency = window.ServiceLatency.TotalCount > 0 ? LoadHistograms.Summarize(window.ServiceLatency) : null,
        SchedulerLag = window.SchedulerLag.TotalCount > 0 ? LoadHistograms.Summarize(window.SchedulerLag) : null,
    };

    public static IReadOnlyList<WindowStats> ToWindowStats(this LoadRun run) => [.. run.Windows.Select(w => w.ToWindowStats())];

    /// <summary>
    /// Totals of the run. The achieved rate is sends per second over the phases that send
    /// (pauses excluded); latency percentiles come from the exactly merged histograms.
    /// </summary>
    public static LoadSummary Summarize(this LoadRun run) => Summarize(run, run.Windows);

    /// <summary>Totals of the windows of one phase (e.g. "fault"), same rules as <see cref="Summarize(LoadRun)"/>.</summary>
    public static LoadSummary SummarizePhase(this LoadRun run, string phase) =>
        Summarize(run, [.. run.Windows.Where(w => w.Phase == phase)]);

    private static LoadSummary Summarize(LoadRun run, IReadOnlyList<LoadWindow> windows)
    {
        var pauses = run.Phases.Where(p => p.Type == PhaseTypes.Pause).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var sendingSeconds = windows.Where(w => w.Phase is null || !pauses.Contains(w.Phase)).Sum(w => w.Length.TotalSeconds);
        var sent = windows.Sum(w => w.Sent);
        HistogramBase lag = LoadRun.Merge(windows, w => w.SchedulerLag);
        return new LoadSummary
        {
            Scheduled = windows.Sum(w => w.Scheduled),
            Sent = sent,
            Completed = windows.Sum(w => w.Completed),
            Succeeded = windows.Sum(w => w.Succeeded),
            Failed = windows.Sum(w => w.Failed),
            Dropped = windows.Sum(w => w.Dropped),
            AchievedRate = sendingSeconds > 0 ? sent / sendingSeconds : 0,
            Latency = LoadHistograms.Summarize(LoadRun.Merge(windows, w => w.Latency)),
            SchedulerLag = lag.TotalCount > 0 ? LoadHistograms.Summarize(lag) : null,
            Saturated = run.Saturated,
            SaturationReason = run.SaturationReason,
        };
    }
}
