using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Core.Load.ConstantArrivalRate;

/// <summary>Open model: <see cref="Rate"/> sends per second for <see cref="Duration"/>, whatever the responses do.</summary>
public sealed record ConstantArrivalRateOptions : PhaseOptions
{
    [Range(0.001, 1_000_000)] public double Rate { get; init; }
    [PositiveDuration] public TimeSpan Duration { get; init; }
    public override TimeSpan Length => Duration;
}
