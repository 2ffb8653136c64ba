using System.ComponentModel.DataAnnotations;
using IndexForge.Resilience.Core.Scenarios;

namespace IndexForge.Resilience.Core.Load.RampingArrivalRate;

/// <summary>Open model whose rate moves linearly from stage to stage, starting at <see cref="StartRate"/>.</summary>
public sealed record RampingArrivalRateOptions : PhaseOptions
{
    [Range(0, 1_000_000)] public double StartRate { get; init; }
    [Required, MinLength(1)] public List<RampStage> Stages { get; init; } = [];
    public override TimeSpan Length => Stages.Aggregate(TimeSpan.Zero, (t, s) => t + s.Duration);
}

public sealed record RampStage : SpecNode
{
    [Range(0, 1_000_000)] public double Target { get; init; }
    [PositiveDuration] public TimeSpan Duration { get; init; }
}
