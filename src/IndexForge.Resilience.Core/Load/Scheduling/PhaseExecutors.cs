using IndexForge.Resilience.Core.Load.ConstantArrivalRate;
using IndexForge.Resilience.Core.Load.ConstantConcurrency;
using IndexForge.Resilience.Core.Load.Pause;
using IndexForge.Resilience.Core.Load.RampingArrivalRate;

namespace IndexForge.Resilience.Core.Load.Scheduling;

/// <summary>One line per phase shape: its options type to its executor.</summary>
internal static class PhaseExecutors
{
    public static IPhaseExecutor For(PhaseOptions phase) => phase switch
    {
        ConstantArrivalRateOptions o => new ConstantArrivalRateExecutor(o),
        RampingArrivalRateOptions o => new RampingArrivalRateExecutor(o),
        ConstantConcurrencyOptions o => new ConstantConcurrencyExecutor(o),
        PauseOptions => new PauseExecutor(),
        _ => throw new NotSupportedException($"phase '{phase.Name}': no executor for {phase.GetType().Name}"),
    };

    /// <summary>True for shapes that send nothing (no endpoint needs resolving).</summary>
    public static bool Sends(PhaseOptions phase) => phase is not PauseOptions;
}
