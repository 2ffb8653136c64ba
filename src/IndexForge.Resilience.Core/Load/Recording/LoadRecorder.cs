using HdrHistogram;

namespace IndexForge.Resilience.Core.Load.Recording;

/// <summary>
/// Lock-free recording for one run. Every thread writes its own <see cref="ShardWindow"/>s (one
/// per window in a small ring); the collector merges the shards of a window once it is closing.
/// A window closes when its time is over, every lane has moved past it and none of its requests
/// is still in flight — or, as a safety net, <see cref="LoadConstants.WindowCloseGrace"/> after
/// its end plus the request timeout.
/// </summary>
internal sealed partial class LoadRecorder : IDisposable
{
    private readonly ThreadLocal<Shard> _shards;
    private readonly long[] _outstanding;
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
        _outstanding = new long[grid.Count];
        _closed = new LoadWindow[grid.Count];
        // A window's requests all finish within timeout (+ grace) of its end; the ring must cover that.
        _ring = (int)Math.Ceiling((timeout + LoadConstants.WindowCloseGrace) / window) + 3;
        ForceAfterTicks = ts.FromTimeSpan(timeout + LoadConstants.WindowCloseGrace);
        _shards = new ThreadLocal<Shard>(() => new Shard(_ring), trackAllValues: true);
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
    /// Opens the calling thread's record of <paramref name="window"/> for writing, or null when the
    /// window is already closing (the result is counted as late). Pair with <see cref="Exit"/>.
    /// </summary>
    public ShardWindow? Enter(int window)
    {
        var shard = _shards.Value!;
        var sw = shard.Slots[window % _ring] ??= new ShardWindow();
        // Full fence: the collector either sees Writing set, or we see its ClosingCount.
        Interlocked.Exchange(ref sw.Writing, 1);
        if (window < Volatile.Read(ref _closingCount))
        {
            Volatile.Write(ref sw.Writing, 0);
            Interlocked.Increment(ref _late);
            return null;
        }
        if (sw.Window != window) sw.Reset(window);
        return sw;
    }

    public static void Exit(ShardWindow sw) => Volatile.Write(ref sw.Writing, 0);

    public void BeginRequest(int window) => Interlocked.Increment(ref _outstanding[window]);

    public void EndRequest(int window) => Interlocked.Decrement(ref _outstanding[window]);

    public long Outstanding(int window) => Volatile.Read(ref _outstanding[window]);

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
        foreach (var shard in _shards.Values)
        {
            var sw = shard.Slots[w % _ring];
            if (sw is null) continue;
            var spin = new SpinWait();
            while (Volatile.Read(ref sw.Writing) != 0) spin.SpinOnce();
            if (sw.Window != w) continue;
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
            if (sw.Latency.TotalCount > 0) latency.Add(sw.Latency);
            if (sw.ServiceLatency.TotalCount > 0) service.Add(sw.ServiceLatency);
            if (sw.SchedulerLag.TotalCount > 0) lag.Add(sw.SchedulerLag);
        }
        Compact(latency, window.Latency);
        Compact(service, window.ServiceLatency);
        Compact(lag, window.SchedulerLag);
        _closed[w] = window;
        Volatile.Write(ref _harvestedCount, w + 1);
        return window;
    }

    private readonly HistogramBase[] _scratch = [LoadHistograms.Create(), LoadHistograms.Create(), LoadHistograms.Create()];

    private static void Compact(HistogramBase dense, HistogramBase target)
    {
        if (dense.TotalCount == 0) return;
        target.Add(dense);
        ((CompactHistogram)target).TrimExcess();
        dense.Reset();
    }

    private static void AddAll<TKey>(Dictionary<TKey, long> into, Dictionary<TKey, long> from) where TKey : notnull
    {
        foreach (var (k, v) in from) into[k] = into.GetValueOrDefault(k) + v;
    }

    public void Dispose() => _shards.Dispose();

    private sealed class Shard(int ring)
    {
        public readonly ShardWindow?[] Slots = new ShardWindow?[ring];
    }
}

/// <summary>
/// Progress of one phase's senders; a window cannot close while a lane may still send into it.
/// An open-model dispatcher publishes the intended time of its next send. Closed-model users
/// follow the clock (<see cref="FollowClock"/>) and hold windows only while one of them is between
/// reading the time and counting its send. Lanes are registered before the load starts, holding
/// their phase's windows from the phase start, so a late-starting phase never loses a window.
/// </summary>
internal sealed class Lane(long phaseStart)
{
    private const long FollowingClock = long.MaxValue - 1;
    private long _nextIntended = phaseStart;
    private int _busy;

    public void PublishNext(long intended) => Volatile.Write(ref _nextIntended, intended);

    public void FollowClock() => Volatile.Write(ref _nextIntended, FollowingClock);

    public void Finish() => Volatile.Write(ref _nextIntended, long.MaxValue);

    // Full fence, so the collector reading the clock after us and Busy after that sees us busy.
    public void EnterSend() => Interlocked.Increment(ref _busy);

    public void ExitSend() => Interlocked.Decrement(ref _busy);

    public bool IsPast(long end)
    {
        var next = Volatile.Read(ref _nextIntended);
        if (next == long.MaxValue) return true;
        return next >= end && Volatile.Read(ref _busy) == 0;
    }
}
