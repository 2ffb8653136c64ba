namespace IndexForge.Resilience.Core.Load;

/// <summary>
/// The rule that marks a run "load generator saturated" (docs/load-engine.md): its latencies then
/// include the generator's own delay and must not be read as the target's.
/// </summary>
public static class Saturation
{
    /// <summary>The reason the run is saturated, or null when it kept its schedule.</summary>
    public static string? Evaluate(IReadOnlyList<LoadWindow> windows)
    {
        var lag = LoadRun.Merge(windows, w => w.SchedulerLag);
        if (lag.TotalCount == 0) return null;
        var limitMs = LoadConstants.SaturationLagP99.TotalMilliseconds;
        var p99 = lag.GetValueAtPercentile(99) / 1000.0;
        if (p99 > limitMs)
        {
            return $"scheduler lag p99 {p99:0.###} ms over {lag.TotalCount} sends exceeds {limitMs:0.###} ms: " +
                   "the load generator could not keep its schedule, so latencies include its own delay";
        }
        var late = windows
            .Where(w => w.SchedulerLag.TotalCount > 0 && w.SchedulerLag.GetValueAtPercentile(99) / 1000.0 > limitMs)
            .Select(w => w.Index)
            .ToList();
        if (late.Count >= LoadConstants.SaturationWindows)
        {
            return $"{late.Count} windows (first at index {late[0]}) have scheduler lag p99 above {limitMs:0.###} ms: " +
                   "the load generator fell behind during part of the run";
        }
        return null;
    }
}
