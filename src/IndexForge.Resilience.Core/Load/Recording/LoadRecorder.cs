using HdrHistogram;

namespace IndexForge.Resilience.Core.Load.Recording;

/// <summary>
/// Recording for one run without a lock anyone waits on. Writers record into stripes (two per
/// core, picked by the current processor); a writer claims a stripe with one compare-and-swap and
/// moves to the next stripe if it is taken, so it never waits while a stripe is free. A stripe
/// keeps one <see cref="ShardWindow"/> per window in a small ring. The collector merges the
/// stripes of a window once it is closing. The stripe count is fixed, so memory does not grow
/// with the number of threads the pool creates over a long run.
/// A window closes when its time is over, every lane has moved past it and none of its requests
/// is still in flight — or, as a safety net, <see cref="LoadConstants.WindowCloseGrace"/> after
/// its end plus the request timeout.
/// </summary>
internal sealed class LoadRecorder
{
    private readonly Stripe[] _stripes;
    private readonly HistogramPool _histograms = new();
    private readonly int _ring;
    private readonly LoadWindow[] _closed;
    private Lane[] _lanes = [];
    private readonly Lock _laneGate = new();
    // Windows below ClosingCount refuse new writes; below HarvestedCount their ring slot is free again.
    private int _closingCount;
    private int _harvestedCount;
    private long _late;

    public LoadRecorder(WindowGrid grid, Timestamps ts, TimeSpan timeout, TimeSpan window)
    {
        Grid = grid;
        Ts = ts;
        _closed = new LoadWindow[grid.Count];
        // A window's requests all finish within timeout (+ grace) of its end; the ring must cover that.
        _ring = (int)Math.Ceiling((timeout + LoadConstants.WindowCloseGrace) / window) + 3;
        ForceAfterTicks = ts.FromTimeSpan(timeout + LoadConstants.WindowCloseGrace);
        _stripes = new Stripe[Math.Max(2, Environment.ProcessorCount * 2)];
        for (var i = 0; i < _stripes.Length; i++) _stripes[i] = new Stripe(_ring);
    }

    public WindowGrid Grid { get; }

    public Timestamps Ts { get; }

    /// <summary>Timestamp the load started at; window offsets are relative to it.</summary>
    public long LoadStart { get; set; }

    public long ForceAfterTicks { get; }

    public int ClosedCount => Volatile.Read(ref _harvestedCount);

    public long Late => Interlocked.Read(ref _late);

    /// <summary>True while a send into <paramref name="window"/> would reuse a ring slot not yet harvested.</summary>
    public bool MustWaitFor(int window) => window >= Volatile.Read(ref _harvestedCount) + _ring;

    /// <summary>
    /// Claims a stripe and opens its record of <paramref name="window"/> for writing, or returns
    /// null when the window is already closing (the result is counted as late). Pair with <see cref="Exit"/>.
    /// </summary>
    public ShardWindow? Enter(int window)
    {
        var stripes = _stripes;
        var first = Thread.GetCurrentProcessorId();
        var spin = new SpinWait();
        while (true)
        {
            for (var k = 0; k < stripes.Length; k++)
            {
                var stripe = stripes[(int)((uint)(first + k) % (uint)stripes.Length)];
                // Full fence: the collector either sees the stripe taken, or we see its ClosingCount.
                if (Interlocked.CompareExchange(ref stripe.Busy, 1, 0) != 0) continue;
                if (window < Volatile.Read(ref _closingCount))
                {
                    Volatile.Write(ref stripe.Busy, 0);
                    Interlocked.Increment(ref _late);
                    return null;
                }
                var sw = stripe.Slots[window % _ring] ??= new ShardWindow(stripe, _histograms);
                if (sw.Window != window) sw.Reset(window);
                return sw;
            }
            // Every stripe taken at once: more writers than twice the cores, for an instant.
            spin.SpinOnce();
        }
    }

    public static void Exit(ShardWindow sw) => Volatile.Write(ref sw.Stripe.Busy, 0);

    /// <summary>
    /// Requests of <paramref name="window"/> still in flight: the sum of the stripes' counts (a
    /// request may begin on one stripe and end on another). Each stripe is taken while read, so a
    /// closed-model user between reading the clock and counting its send is waited for.
    /// </summary>
    public long Outstanding(int window)
    {
        long sum = 0;
        foreach (var stripe in _stripes)
        {
            Take(stripe);
            var sw = stripe.Slots[window % _ring];
            if (sw is not null && sw.Window == window) sum += sw.Outstanding;
            Volatile.Write(ref stripe.Busy, 0);
        }
        return sum;
    }

    private static void Take(Stripe stripe)
    {
        var spin = new SpinWait();
        while (Interlocked.CompareExchange(ref stripe.Busy, 1, 0) != 0) spin.SpinOnce();
    }

    /// <summary>Registers a phase's senders before the load starts (see <see cref="Lane"/>).</summary>
    public Lane AddLane(long phaseStart)
    {
        var lane = new Lane(phaseStart);
        lock (_laneGate) _lanes = [.. _lanes, lane];
        return lane;
    }

    /// <summary>
    /// Closes every window that can close at <paramref name="now"/>, in order, and returns them.
    /// <paramref name="cutoff"/> is when a cancelled run stopped: windows it cut short end there.
    /// </summary>
    public List<LoadWindow>? CloseReady(long now, long cutoff = long.MaxValue)
    {
        List<LoadWindow>? closed = null;
        while (_harvestedCount < Grid.Count)
        {
            var w = _harvestedCount;
            var info = Grid.Windows[w];
            if (LoadStart + info.StartTicks >= cutoff) break;
            var end = Math.Min(LoadStart + info.EndTicks, cutoff);
            if (now < end) break;
            var forced = now >= end + ForceAfterTicks;
            var lanesPast = cutoff != long.MaxValue || LanesPast(end);
            if (!forced && (!lanesPast || Outstanding(w) != 0)) break;
            (closed ??= []).Add(Harvest(w, info));
        }
        return closed;
    }

    /// <summary>Every window closed so far, in order.</summary>
    public IReadOnlyList<LoadWindow> ClosedWindows => _closed[.._harvestedCount];

    private bool LanesPast(long end)
    {
        foreach (var lane in Volatile.Read(ref _lanes))
        {
            if (!lane.IsPast(end)) return false;
        }
        return true;
    }

    private LoadWindow Harvest(int w, WindowInfo info)
    {
        Interlocked.Exchange(ref _closingCount, w + 1);
        var window = new LoadWindow { Index = w, Start = info.Start, Length = info.Length, Phase = info.Phase };
        var latency = _scratch[0];
        var service = _scratch[1];
        var lag = _scratch[2];
        foreach (var stripe in _stripes)
        {
            // Take the stripe like a writer would; writers meanwhile use other stripes.
            Take(stripe);
            var sw = stripe.Slots[w % _ring];
            if (sw is null || sw.Window != w)
            {
                Volatile.Write(ref stripe.Busy, 0);
                continue;
            }
            window.Scheduled += sw.Scheduled;
            window.Sent += sw.Sent;
            window.Completed += sw.Completed;
            window.Succeeded += sw.Succeeded;
            window.Failed += sw.Failed;
            window.Dropped += sw.Dropped;
            AddAll(window.StatusCodes, sw.StatusCodes);
            AddAll(window.ByReplica, sw.ByReplica);
            AddAll(window.ByRegion, sw.ByRegion);
            for (var e = 0; e < sw.Errors.Length; e++)
            {
                if (sw.Errors[e] != 0) window.Errors[(ErrorClass)e] = window.Errors.GetValueOrDefault((ErrorClass)e) + sw.Errors[e];
            }
            if (sw.Histograms is { } h)
            {
                if (h.Latency.TotalCount > 0) latency.Add(h.Latency);
                if (h.ServiceLatency.TotalCount > 0) service.Add(h.ServiceLatency);
                if (h.SchedulerLag.TotalCount > 0) lag.Add(h.SchedulerLag);
                // Dense histograms go back to the pool: only windows still open hold one.
                sw.ReleaseHistograms();
            }
            Volatile.Write(ref stripe.Busy, 0);
        }
        Compact(latency, window.Latency);
        Compact(service, window.ServiceLatency);
        Compact(lag, window.SchedulerLag);
        _closed[w] = window;
        Volatile.Write(ref _harvestedCount, w + 1);
        return window;
    }

    private readonly DenseHistogram[] _scratch = [new(), new(), new()];
    private readonly byte[] _packScratch = CompactHistogram.PackScratch();

    private void Compact(DenseHistogram dense, HistogramBase target)
    {
        if (dense.TotalCount == 0) return;
        ((CompactHistogram)target).PackFrom(dense, _packScratch);
        dense.Reset();
    }

    private static void AddAll<TKey>(Dictionary<TKey, long> into, Dictionary<TKey, long> from) where TKey : notnull
    {
        foreach (var (k, v) in from) into[k] = into.GetValueOrDefault(k) + v;
    }


}

/// <summary>One stripe: its ring of per-window records and the flag a writer or the collector holds while using it.</summary>
internal sealed class Stripe(int ring)
{
    public int Busy;
    public readonly ShardWindow?[] Slots = new ShardWindow?[ring];
}

/// <summary>
/// Progress of one phase's senders; a window cannot close while a lane may still send into it.
/// An open-model dispatcher publishes the intended time of its next send. Closed-model users
/// follow the clock (<see cref="FollowClock"/>): a user records its send while holding a stripe,
/// and the collector takes every stripe before it counts a window's requests in flight, so a user
/// that read the clock before the window's end is always seen. Lanes are registered before the
/// load starts, holding their phase's windows from the phase start, so a late-starting phase
/// never loses a window.
/// </summary>
internal sealed class Lane(long phaseStart)
{
    private const long FollowingClock = long.MaxValue - 1;
    private long _nextIntended = phaseStart;

    public void PublishNext(long intended) => Volatile.Write(ref _nextIntended, intended);

    public void FollowClock() => Volatile.Write(ref _nextIntended, FollowingClock);

    public void Finish() => Volatile.Write(ref _nextIntended, long.MaxValue);

    public bool IsPast(long end) => Volatile.Read(ref _nextIntended) >= end;
}
