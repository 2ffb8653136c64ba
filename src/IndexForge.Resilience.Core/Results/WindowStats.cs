namespace IndexForge.Resilience.Core.Results;

/// <summary>
/// One window (1 s by default) of load, merged from every worker. Latency figures are in
/// milliseconds, measured from the intended send time; <see cref="ServiceLatency"/> is measured
/// from the actual send.
/// </summary>
public sealed record WindowStats
{
    public required int Index { get; init; }
    public required TimeSpan Start { get; init; }
    public required TimeSpan Length { get; init; }
    public string? Phase { get; init; }
    public long Scheduled { get; init; }
    public long Sent { get; init; }
    public long Completed { get; init; }
    public long Succeeded { get; init; }
    public long Failed { get; init; }
    public long Dropped { get; init; }
    public IReadOnlyDictionary<int, long> StatusCodes { get; init; } = new Dictionary<int, long>();
    /// <summary>Failures by <see cref="Load.ErrorClass"/> name.</summary>
    public IReadOnlyDictionary<string, long> Errors { get; init; } = new Dictionary<string, long>();
    public IReadOnlyDictionary<string, long> ByReplica { get; init; } = new Dictionary<string, long>();
    public IReadOnlyDictionary<string, long> ByRegion { get; init; } = new Dictionary<string, long>();
    public required LatencySummary Latency { get; init; }
    public LatencySummary? ServiceLatency { get; init; }
    public LatencySummary? SchedulerLag { get; init; }
}

public sealed record LatencySummary(long Count, double Min, double P50, double P90, double P95, double P99, double Max, double Mean)
{
    public static readonly LatencySummary Empty = new(0, 0, 0, 0, 0, 0, 0, 0);
}

/// <summary>Totals of a whole scenario's load.</summary>
public sealed record LoadSummary
{
    public long Scheduled { get; init; }
    public long Sent { get; init; }
    public long Completed { get; init; }
    public long Succeeded { get; init; }
    public long Failed { get; init; }
    public long Dropped { get; init; }
    public double AchievedRate { get; init; }
    public required LatencySummary Latency { get; init; }
    public LatencySummary? SchedulerLag { get; init; }
    /// <summary>True when the generator could not keep its schedule; latency then is not the target's.</summary>
    public bool Saturated { get; init; }
    public string? SaturationReason { get; init; }
    public static LoadSummary Empty => new() { Latency = LatencySummary.Empty };
}
