using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Core.Assertions.Failover;

/// <summary>`failover`: traffic moves from one region to the other within a bound and the success rate holds.</summary>
public sealed record FailoverOptions : AssertionOptions
{
    [Required, RegionReference] public string From { get; init; } = "";
    [Required, RegionReference] public string To { get; init; } = "";
    [PositiveDuration] public TimeSpan Within { get; init; } = FailoverConstants.DefaultWithin;
    /// <summary>Share of traffic the target region must carry once failed over (0..1).</summary>
    [Range(0.0, 1.0)] public double MinShare { get; init; } = FailoverConstants.DefaultMinShare;
    /// <summary>Success rate required after the bound (0..1).</summary>
    [Range(0.0, 1.0)] public double MinSuccessRate { get; init; } = FailoverConstants.DefaultMinSuccessRate;
}

public static class FailoverConstants
{
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(3);
    public const double DefaultMinShare = 0.95;
    public const double DefaultMinSuccessRate = 0.99;
}
