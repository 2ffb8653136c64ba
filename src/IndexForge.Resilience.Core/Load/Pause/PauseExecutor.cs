using IndexForge.Resilience.Core.Load.Scheduling;

namespace IndexForge.Resilience.Core.Load.Pause;

/// <summary>Sends nothing until the phase end; its windows are recorded empty.</summary>
internal sealed class PauseExecutor : IPhaseExecutor
{
    public async ValueTask RunAsync(PhaseContext context)
    {
        try
        {
            context.Lane.PublishNext(context.End);
            if (context.Clock.Now < context.End) await context.Clock.WaitUntilAsync(context.End, context.Cancellation).ConfigureAwait(false);
        }
        finally
        {
            context.Lane.Finish();
        }
    }
}
