using IndexForge.Resilience.Core.Load.Recording;
using IndexForge.Resilience.Core.Load.Sending;

namespace IndexForge.Resilience.Core.Load.Scheduling;

/// <summary>Everything an executor needs to run one phase at its absolute place on the run's clock.</summary>
internal sealed class PhaseContext
{
    public required PhaseOptions Phase { get; init; }
    public required int Index { get; init; }
    /// <summary>Phase start and end as timestamps of the run's clock.</summary>
    public required long Start { get; init; }
    public required long End { get; init; }
    public required LoadClock Clock { get; init; }
    public required LoadRecorder Recorder { get; init; }
    public required Lane Lane { get; init; }
    public required ILoadSender Sender { get; init; }
    public required RequestExecutor Requests { get; init; }
    public required RequestMix Mix { get; init; }
    /// <summary>Seed for this phase's draws (request mix); the same seed replays the same mix.</summary>
    public required int Seed { get; init; }
    /// <summary>The part of the phase's sends (open model) or users (closed model) this generator runs.</summary>
    public LoadShare Share { get; init; } = LoadShare.Whole;
    /// <summary>Where this phase sends; null for a phase that sends nothing.</summary>
    public ILoadTransport? Transport { get; init; }
    public required CancellationToken Cancellation { get; init; }
    /// <summary>Work that outlives the phase (closed-model users finishing their last request).</summary>
    public List<Task> Background { get; } = [];

    public int WindowOf(long timestamp) => Recorder.Grid.IndexOf(Index, timestamp - Start);

    /// <summary>Waits while the window's ring slot still holds an unharvested window (rare; shows as lag).</summary>
    public async ValueTask WaitForSlotAsync(int window)
    {
        while (Recorder.MustWaitFor(window) && !Cancellation.IsCancellationRequested)
        {
            await Clock.WaitUntilAsync(Clock.Now + Clock.Ts.FromTimeSpan(TimeSpan.FromMilliseconds(1)), Cancellation).ConfigureAwait(false);
        }
    }
}

/// <summary>Runs one shape of phase; returns at the phase end (work still in flight may continue).</summary>
internal interface IPhaseExecutor
{
    ValueTask RunAsync(PhaseContext context);
}
