using HdrHistogram;
using IndexForge.Resilience.Core.Load.Recording;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Core.Load;

/// <summary>Drives a scenario's load profile and returns every window it measured.</summary>
public interface ILoadEngine
{
    Task<LoadRun> RunAsync(LoadPlan plan, ILoadObserver? observer, CancellationToken cancellationToken);

    /// <summary>
    /// True when the engine picks its own start time ahead of the call (load agents that must be
    /// scheduled first) and tells it through <see cref="LoadPlan.StartScheduled"/>: the runner then
    /// starts its fault timeline at that instant. False (the default): the load starts on the call.
    /// </summary>
    bool AnnouncesStart => false;
}

/// <summary>What to send, where, and with which clock and seed.</summary>
public sealed record LoadPlan
{
    public required LoadSpec Spec { get; init; }
    /// <summary>Resolves where a phase sends (mesh entry point or a replica with workload TLS).</summary>
    public required Func<PhaseOptions, LoadEndpoint> Resolve { get; init; }
    public int Seed { get; init; }
    public TimeSpan Window { get; init; } = LoadConstants.DefaultWindow;
    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>
    /// Optional per-request credential, read once per request and sent as
    /// <see cref="LoadConstants.CredentialHeader"/> when it returns non-null. The value is a secret:
    /// the engine never logs or stores it.
    /// </summary>
    public Func<string?>? Credential { get; init; }
    /// <summary>The part of the load this generator sends (<see cref="LoadShare"/>); the whole load by default.</summary>
    public LoadShare Share { get; init; } = LoadShare.Whole;
    /// <summary>
    /// When set, the load's origin is this instant instead of the call: agents of one run share it,
    /// so their windows and send times line up. Sends due before the engine got going leave late
    /// and show as scheduler lag, never shifted.
    /// </summary>
    public DateTimeOffset? StartAt { get; init; }
    /// <summary>Told the load's origin by an engine that <see cref="ILoadEngine.AnnouncesStart"/>, before it is reached.</summary>
    public Action<DateTimeOffset>? StartScheduled { get; init; }
}

public sealed record LoadEndpoint(Uri BaseAddress, ClientTls? Tls = null);

/// <summary>Live view of a run for progress displays; called off the hot path, once per window.</summary>
public interface ILoadObserver
{
    void OnPhaseStarted(string phase, TimeSpan at);
    void OnWindow(WindowStats window);
}

/// <summary>Why a request did not succeed. Names appear in reports and threshold expressions.</summary>
public enum ErrorClass
{
    None,
    ConnectionRefused,
    ConnectionReset,
    Timeout,
    TlsHandshake,
    Http4xx,
    Http5xx,
    /// <summary>A 503 carrying <c>x-envoy-overloaded</c>: the mesh's connection pool refused it.</summary>
    MeshOverflow,
    Other,
}

public static class ErrorClassNames
{
    public static string ToKey(this ErrorClass c) => c switch
    {
        ErrorClass.ConnectionRefused => "connection-refused",
        ErrorClass.ConnectionReset => "connection-reset",
        ErrorClass.Timeout => "timeout",
        ErrorClass.TlsHandshake => "tls-handshake",
        ErrorClass.Http4xx => "http-4xx",
        ErrorClass.Http5xx => "http-5xx",
        ErrorClass.MeshOverflow => "mesh-overflow",
        ErrorClass.Other => "other",
        _ => "none",
    };
}

/// <summary>
/// One window of merged measurements. Histograms are in microseconds with the layout of
/// <see cref="LoadHistograms.Create"/>, stored sparsely (<see cref="CompactHistogram"/>) so a long
/// run's windows stay small; merged from per-worker histograms after the window closed.
/// Requests belong to the window of their intended send time, wherever they complete.
/// </summary>
public sealed class LoadWindow
{
    public required int Index { get; init; }
    public required TimeSpan Start { get; init; }
    public required TimeSpan Length { get; init; }
    public string? Phase { get; init; }
    public long Scheduled { get; set; }
    public long Sent { get; set; }
    public long Completed { get; set; }
    public long Succeeded { get; set; }
    public long Failed { get; set; }
    public long Dropped { get; set; }
    public Dictionary<int, long> StatusCodes { get; } = [];
    public Dictionary<ErrorClass, long> Errors { get; } = [];
    public Dictionary<string, long> ByReplica { get; } = [];
    public Dictionary<string, long> ByRegion { get; } = [];
    /// <summary>Latency from the intended send time (free of coordinated omission).</summary>
    public HistogramBase Latency { get; } = new CompactHistogram();
    /// <summary>Latency from the actual send.</summary>
    public HistogramBase ServiceLatency { get; } = new CompactHistogram();
    /// <summary>How late sends left compared with their intended time (open model only).</summary>
    public HistogramBase SchedulerLag { get; } = new CompactHistogram();

    public TimeSpan End => Start + Length;
}

public static class LoadHistograms
{
    public const long LowestMicros = 1;
    public const long HighestMicros = 60_000_000;
    public const int SignificantDigits = 3;

    public static HistogramBase Create() => new LongHistogram(LowestMicros, HighestMicros, SignificantDigits);

    public static LatencySummary Summarize(HistogramBase h)
    {
        if (h.TotalCount == 0) return LatencySummary.Empty;
        static double Ms(long micros) => micros / 1000.0;
        return new LatencySummary(
            h.TotalCount,
            Ms(h.GetValueAtPercentile(0)),
            Ms(h.GetValueAtPercentile(50)),
            Ms(h.GetValueAtPercentile(90)),
            Ms(h.GetValueAtPercentile(95)),
            Ms(h.GetValueAtPercentile(99)),
            Ms(h.GetMaxValue()),
            h.GetMean() / 1000.0);
    }
}

/// <summary>Everything the load engine measured in one scenario run.</summary>
public sealed class LoadRun
{
    public required DateTimeOffset StartedAt { get; init; }
    public required IReadOnlyList<LoadWindow> Windows { get; init; }
    public required IReadOnlyList<PhaseSpan> Phases { get; init; }
    public bool Saturated { get; init; }
    public string? SaturationReason { get; init; }
    /// <summary>True when the run was cancelled; the windows hold what was measured until then.</summary>
    public bool Cancelled { get; init; }
    /// <summary>
    /// Results that arrived after their window had been force-closed (a request outliving its
    /// timeout plus <see cref="LoadConstants.WindowCloseGrace"/>); normally 0.
    /// </summary>
    public long LateResults { get; init; }

    /// <summary>Windows overlapping [from, to).</summary>
    public IEnumerable<LoadWindow> Between(TimeSpan from, TimeSpan to) =>
        Windows.Where(w => w.Start < to && w.End > from);

    /// <summary>Exact merge of the windows' histograms (never averaged percentiles).</summary>
    public static HistogramBase Merge(IEnumerable<LoadWindow> windows, Func<LoadWindow, HistogramBase> pick)
    {
        var merged = LoadHistograms.Create();
        foreach (var w in windows) merged.Add(pick(w));
        return merged;
    }
}
