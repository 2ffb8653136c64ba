using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Core.Load.ConstantConcurrency;

/// <summary>Closed model: <see cref="Concurrency"/> virtual users, each sending as soon as its previous response arrived.</summary>
public sealed record ConstantConcurrencyOptions : PhaseOptions
{
    [Range(1, 100_000)] public int Concurrency { get; init; }
    [PositiveDuration] public TimeSpan Duration { get; init; }
    public override TimeSpan Length => Duration;
}
