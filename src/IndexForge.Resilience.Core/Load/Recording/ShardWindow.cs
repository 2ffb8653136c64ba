using HdrHistogram;

namespace IndexForge.Resilience.Core.Load.Recording;

/// <summary>
/// What one stripe recorded for one window. Written only by whoever holds the stripe; the
/// collector reads it holding the stripe once the window is closing.
/// </summary>
internal sealed class ShardWindow(Stripe stripe, HistogramPool pool)
{
    public readonly Stripe Stripe = stripe;
    public int Window = -1;
    public long Scheduled, Sent, Completed, Succeeded, Failed, Dropped;
    /// <summary>Begun here minus ended here; summed over stripes it is the window's requests in flight.</summary>
    public long Outstanding;
    public readonly Dictionary<int, long> StatusCodes = [];
    public readonly long[] Errors = new long[Enum.GetValues<ErrorClass>().Length];
    public readonly Dictionary<string, long> ByReplica = new(StringComparer.Ordinal);
    public readonly Dictionary<string, long> ByRegion = new(StringComparer.Ordinal);
    /// <summary>Dense while recording (one array write per value), taken from the pool on first use.</summary>
    public HistogramSet? Histograms;

    public void Reset(int window)
    {
        Window = window;
        Scheduled = Sent = Completed = Succeeded = Failed = Dropped = Outstanding = 0;
        StatusCodes.Clear();
        Array.Clear(Errors);
        ByReplica.Clear();
        ByRegion.Clear();
        ReleaseHistograms();
    }

    public void ReleaseHistograms()
    {
        if (Histograms is null) return;
        pool.Return(Histograms);
        Histograms = null;
    }

    public void RecordLag(long micros) => (Histograms ??= pool.Rent()).SchedulerLag.RecordValue(micros);

    public void RecordOutcome(in SendOutcome outcome, long latencyMicros, long serviceMicros)
    {
        Completed++;
        if (outcome.Error == ErrorClass.None) Succeeded++;
        else
        {
            Failed++;
            Errors[(int)outcome.Error]++;
        }
        if (outcome.Status > 0) Increment(StatusCodes, outcome.Status);
        if (outcome.Replica is not null) IncrementLabel(ByReplica, outcome.Replica);
        if (outcome.Region is not null) IncrementLabel(ByRegion, outcome.Region);
        var h = Histograms ??= pool.Rent();
        h.Latency.RecordValue(latencyMicros);
        h.ServiceLatency.RecordValue(serviceMicros);
    }

    private static void Increment<TKey>(Dictionary<TKey, long> map, TKey key) where TKey : notnull
    {
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(map, key, out _);
        slot++;
    }

    // A target could send a new name with every response; the cap keeps a window bounded.
    private static void IncrementLabel(Dictionary<string, long> map, string label)
    {
        if (map.Count >= LoadConstants.MaxDistinctLabels && !map.ContainsKey(label)) label = LoadConstants.OtherLabel;
        Increment(map, label);
    }
}

/// <summary>The three dense histograms of one stripe's window.</summary>
internal sealed class HistogramSet
{
    public readonly HistogramBase Latency = NewDense();
    public readonly HistogramBase ServiceLatency = NewDense();
    public readonly HistogramBase SchedulerLag = NewDense();

    // Counts of one stripe in one window fit an int; this halves the dense histogram's size.
    private static IntHistogram NewDense() => new(LoadHistograms.LowestMicros, LoadHistograms.HighestMicros, LoadHistograms.SignificantDigits);

    public void Clear()
    {
        if (Latency.TotalCount > 0) Latency.Reset();
        if (ServiceLatency.TotalCount > 0) ServiceLatency.Reset();
        if (SchedulerLag.TotalCount > 0) SchedulerLag.Reset();
    }
}

/// <summary>
/// Dense histogram sets shared by all stripes: a set is rented when a stripe first records into a
/// window and returned when that window is harvested, so only open windows hold one (~210 KB each).
/// </summary>
internal sealed class HistogramPool
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<HistogramSet> _free = new();

    public HistogramSet Rent() => _free.TryDequeue(out var set) ? set : new HistogramSet();

    public void Return(HistogramSet set)
    {
        set.Clear();
        _free.Enqueue(set);
    }
}

/// <summary>What a transport saw for one request.</summary>
internal readonly record struct SendOutcome(int Status, ErrorClass Error, string? Replica = null, string? Region = null);
