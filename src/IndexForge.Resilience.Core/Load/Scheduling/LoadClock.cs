using IndexForge.Resilience.Core.Load.Recording;

namespace IndexForge.Resilience.Core.Load.Scheduling;

/// <summary>
/// The run's clock. On the system clock it waits on a dedicated thread (sleep, then spin for the
/// last stretch) because Task.Delay wakes only every ~4-5 ms here; on any other
/// <see cref="TimeProvider"/> (FakeTimeProvider in tests) it waits through the provider's timers.
/// </summary>
internal abstract class LoadClock(TimeProvider time)
{
    public TimeProvider Time { get; } = time;

    public Timestamps Ts { get; } = new(time);

    public long Now => Time.GetTimestamp();

    /// <summary>True when <see cref="WaitUntilAsync"/> blocks the calling (dedicated) thread.</summary>
    public abstract bool IsRealTime { get; }

    /// <summary>Returns at or after <paramref name="timestamp"/>, or early once cancelled (never throws).</summary>
    public abstract ValueTask WaitUntilAsync(long timestamp, CancellationToken cancellationToken);

    /// <summary>An asynchronous pause that never blocks a thread (collector, waiting users).</summary>
    public async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, Time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Callers check the token themselves; a cancelled pause just ends early.
        }
    }

    public static LoadClock For(TimeProvider time) =>
        ReferenceEquals(time, TimeProvider.System) ? new RealTimeClock() : new VirtualClock(time);
}

internal sealed class RealTimeClock() : LoadClock(TimeProvider.System)
{
    private readonly long _spinBelow = new Timestamps(TimeProvider.System).FromTimeSpan(LoadConstants.SpinBelow);
    private readonly long _sleepMargin = new Timestamps(TimeProvider.System).FromTimeSpan(LoadConstants.SleepMargin);
    // Long waits (between phases) sleep in slices so cancellation is noticed promptly.
    private static readonly TimeSpan MaxSlice = TimeSpan.FromMilliseconds(50);

    public override bool IsRealTime => true;

    public override ValueTask WaitUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var remaining = timestamp - Now;
            if (remaining <= 0) break;
            if (remaining > _sleepMargin)
            {
                var sleep = Ts.ToTimeSpan(remaining - _sleepMargin);
                Thread.Sleep(sleep < MaxSlice ? sleep : MaxSlice);
            }
            else if (remaining > _spinBelow)
            {
                Thread.Sleep(1);
            }
            else if (!Thread.Yield())
            {
                // Nothing else wants this core: spin briefly rather than make a yield syscall per loop.
                Thread.SpinWait(20);
            }
        }
        return ValueTask.CompletedTask;
    }
}

internal sealed class VirtualClock(TimeProvider time) : LoadClock(time)
{
    public override bool IsRealTime => false;

    public override async ValueTask WaitUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var remaining = timestamp - Now;
            if (remaining <= 0) return;
            // Whole milliseconds, rounded up: FakeTimeProvider's timers count whole milliseconds, so a
            // sub-millisecond wait would fire at once without time moving, and this loop would spin
            // inside the provider's Advance forever (a ramp or a second phase puts sends off the ms grid).
            var wait = Math.Ceiling(Ts.ToTimeSpan(remaining).TotalMilliseconds);
            await DelayAsync(TimeSpan.FromMilliseconds(Math.Max(1, wait)), cancellationToken).ConfigureAwait(false);
        }
    }
}
