using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Load.ConstantArrivalRate;
using IndexForge.Resilience.Core.Load.ConstantConcurrency;
using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Bench;

/// <summary>The engine's side of each comparison: a warm-up phase, then the measured phase.</summary>
internal static class EngineRuns
{
    public const string WarmupPhase = "warmup";
    public const string MeasuredPhase = "measured";

    public static LoadSpec Closed(int connections, TimeSpan duration) => new()
    {
        Connections = connections,
        Phases =
        [
            new ConstantConcurrencyOptions { Name = WarmupPhase, Type = PhaseTypes.ConstantConcurrency, Concurrency = connections, Duration = TimeSpan.FromSeconds(1) },
            new ConstantConcurrencyOptions { Name = MeasuredPhase, Type = PhaseTypes.ConstantConcurrency, Concurrency = connections, Duration = duration },
        ],
        Requests = [new RequestSpec { Path = "/" }],
    };

    public static LoadSpec Open(double rate, int connections, TimeSpan duration) => new()
    {
        Connections = connections,
        Phases =
        [
            new ConstantArrivalRateOptions { Name = WarmupPhase, Type = PhaseTypes.ConstantArrivalRate, Rate = rate, Duration = BenchConstants.Warmup },
            new ConstantArrivalRateOptions { Name = MeasuredPhase, Type = PhaseTypes.ConstantArrivalRate, Rate = rate, Duration = duration },
        ],
        Requests = [new RequestSpec { Path = "/" }],
    };

    public static Task<LoadRun> RunAsync(LoadSpec spec, Uri target, CancellationToken cancellationToken) =>
        new LoadEngine().RunAsync(new LoadPlan { Spec = spec, Resolve = _ => new LoadEndpoint(target), Seed = 1 }, null, cancellationToken);

    /// <summary>Totals of the measured phase only.</summary>
    public static LoadSummary Measured(this LoadRun run) => run.SummarizePhase(MeasuredPhase);
}
