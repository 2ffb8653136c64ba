using System.Runtime.CompilerServices;
using IndexForge.Resilience.Core.Load.Recording;
using IndexForge.Resilience.Core.Load.Scheduling;

namespace IndexForge.Resilience.Core.Load.Sending;

/// <summary>
/// Something that sends one request at a time and owns the timeout source for it: an in-flight
/// slot of the open model, or a virtual user of the closed model.
/// </summary>
internal abstract class RequestOwner(TimeProvider time)
{
    private readonly TimeProvider _time = time;

    public CancellationTokenSource Timeout { get; private set; } = new(System.Threading.Timeout.InfiniteTimeSpan, time);

    /// <summary>Readies the timeout source for the next request (reused unless it fired).</summary>
    public void ResetTimeout()
    {
        if (Timeout.TryReset()) return;
        Timeout.Dispose();
        Timeout = new CancellationTokenSource(System.Threading.Timeout.InfiniteTimeSpan, _time);
    }

    public void Cancel()
    {
        try
        {
            Timeout.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Replaced concurrently after its own timeout; nothing left to cancel on it.
        }
    }
}

/// <summary>Runs one request end to end and records it in its window: sent, lag, outcome, latencies.</summary>
internal sealed class RequestExecutor(LoadRecorder recorder, LoadClock clock, TimeSpan timeout, CancellationToken run)
{
    private readonly List<RequestOwner> _owners = [];
    private readonly Lock _ownersGate = new();

    public LoadRecorder Recorder => recorder;

    public LoadClock Clock => clock;

    /// <summary>Tracks an owner so cancelling the run cancels its request in flight.</summary>
    public void Track(RequestOwner owner)
    {
        lock (_ownersGate) _owners.Add(owner);
    }

    public void CancelAll()
    {
        RequestOwner[] owners;
        lock (_ownersGate) owners = [.. _owners];
        foreach (var owner in owners) owner.Cancel();
    }

    /// <summary>
    /// The caller has already counted the request as outstanding in <paramref name="window"/>
    /// (<see cref="LoadRecorder.BeginRequest"/>); this ends it.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ExecuteAsync(RequestOwner owner, ILoadTransport transport, int window, long intended, int request, bool recordLag)
    {
        var sent = clock.Now;
        var sw = recorder.Enter(window);
        if (sw is not null)
        {
            sw.Sent++;
            if (recordLag) sw.SchedulerLag.RecordValue(clock.Ts.Micros(sent - intended));
            LoadRecorder.Exit(sw);
        }
        SendOutcome outcome;
        try
        {
            owner.Timeout.CancelAfter(timeout);
            outcome = await transport.SendAsync(request, intended, owner.Timeout.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Transports classify their own failures; anything escaping is still a failed request.
            outcome = new SendOutcome(0, ErrorClass.Other);
        }
        var end = clock.Now;
        owner.ResetTimeout();
        // A request cut short by cancelling the run is not the target's failure: not counted.
        if (!(run.IsCancellationRequested && outcome.Error is ErrorClass.Timeout or ErrorClass.Other))
        {
            sw = recorder.Enter(window);
            if (sw is not null)
            {
                sw.RecordOutcome(outcome, clock.Ts.Micros(end - intended), clock.Ts.Micros(end - sent));
                LoadRecorder.Exit(sw);
            }
        }
        recorder.EndRequest(window);
    }
}
