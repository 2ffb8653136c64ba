using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Core.Assertions.LatencyOverhead;

/// <summary>`latency-overhead`: percentile through the mesh minus the same percentile of a direct baseline phase, within a budget.</summary>
public sealed record LatencyOverheadOptions : AssertionOptions
{
    [Required, PhaseReference] public string Baseline { get; init; } = "";
    [Required, PhaseReference] public string Mesh { get; init; } = "";
    [Range(1.0, 99.999)] public double Percentile { get; init; } = LatencyOverheadConstants.DefaultPercentile;
    [PositiveDuration] public TimeSpan Budget { get; init; } = LatencyOverheadConstants.DefaultBudget;
}

public static class LatencyOverheadConstants
{
    public const double DefaultPercentile = 95;
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromMilliseconds(2);
}
