using IndexForge.Resilience.Core.Load.Recording;
using IndexForge.Resilience.Core.Load.Scheduling;

namespace IndexForge.Resilience.Core.Load.Sending;

/// <summary>
/// Something that sends one request at a time: an in-flight slot of the open model or a user of
/// the closed model. It owns the cancellation source its requests run under and publishes the
/// deadline of the request in flight, which the <see cref="RequestExecutor"/>'s sweeper enforces.
/// </summary>
internal abstract class RequestOwner
{
    private const long Idle = long.MaxValue;
    private const long Expired = long.MaxValue - 1;
    private long _deadline = Idle;

    public CancellationTokenSource Timeout { get; private set; } = new();

    /// <summary>Timestamp the current request was actually sent.</summary>
    public long SentAt { get; set; }

    public void Arm(long deadline) => Volatile.Write(ref _deadline, deadline);

    /// <summary>Ends the request; if the sweeper cancelled it, the fired source is replaced.</summary>
    public void Disarm()
    {
        if (Interlocked.Exchange(ref _deadline, Idle) != Expired) return;
        Timeout.Dispose();
        Timeout = new CancellationTokenSource();
    }

    /// <summary>Cancels the request in flight if its deadline passed; only that request, never its successor.</summary>
    public void ExpireIfDue(long now)
    {
        var cts = Timeout;
        var deadline = Volatile.Read(ref _deadline);
        if (deadline >= Expired || now < deadline) return;
        if (Interlocked.CompareExchange(ref _deadline, Expired, deadline) != deadline) return;
        Cancel(cts);
    }

    public void Cancel() => Cancel(Timeout);

    private static void Cancel(CancellationTokenSource cts)
    {
        try
        {
            cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The request ended and its source was replaced meanwhile: nothing left to cancel.
        }
    }
}

/// <summary>
/// Records the two ends of every request in its window: <see cref="Begin"/> (sent, lag) and
/// <see cref="End"/> (outcome, latencies, no longer in flight). Timeouts are enforced by a sweeper
/// every <see cref="LoadConstants.TimeoutSweep"/> instead of a timer per request: a request costs
/// two stores here, and may overrun its timeout by up to one sweep.
/// </summary>
internal sealed class RequestExecutor(LoadRecorder recorder, LoadClock clock, TimeSpan timeout, CancellationToken run)
{
    private readonly long _timeoutTicks = clock.Ts.FromTimeSpan(timeout);
    private RequestOwner[] _owners = [];
    private readonly Lock _ownersGate = new();

    public LoadRecorder Recorder => recorder;

    public LoadClock Clock => clock;

    /// <summary>Tracks an owner so its requests time out and cancelling the run cancels them.</summary>
    public void Track(RequestOwner owner)
    {
        lock (_ownersGate) _owners = [.. _owners, owner];
    }

    public void CancelAll()
    {
        foreach (var owner in Volatile.Read(ref _owners)) owner.Cancel();
    }

    public async Task SweepAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await clock.DelayAsync(LoadConstants.TimeoutSweep, stop).ConfigureAwait(false);
            var now = clock.Now;
            foreach (var owner in Volatile.Read(ref _owners)) owner.ExpireIfDue(now);
        }
    }

    /// <summary>The request leaves now; the sender already counted it in flight in <paramref name="window"/>.</summary>
    public void Begin(RequestOwner owner, int window, long intended, bool recordLag)
    {
        var sent = clock.Now;
        Started(owner, sent);
        var sw = recorder.Enter(window);
        if (sw is null) return;
        sw.Sent++;
        if (recordLag) sw.RecordLag(clock.Ts.Micros(sent - intended));
        LoadRecorder.Exit(sw);
    }

    /// <summary>For a sender that counted the send itself (closed model): only the timing and the deadline.</summary>
    public void Started(RequestOwner owner, long sent)
    {
        owner.SentAt = sent;
        owner.Arm(sent + _timeoutTicks);
    }

    public void End(RequestOwner owner, int window, long intended, in SendOutcome outcome)
    {
        var end = clock.Now;
        owner.Disarm();
        var sw = recorder.Enter(window);
        if (sw is null) return;
        // A request cut short by cancelling the run is not the target's failure: not counted.
        if (!(run.IsCancellationRequested && outcome.Error is ErrorClass.Timeout or ErrorClass.Other))
        {
            sw.RecordOutcome(outcome, clock.Ts.Micros(end - intended), clock.Ts.Micros(end - owner.SentAt));
        }
        sw.Outstanding--;
        LoadRecorder.Exit(sw);
    }
}
