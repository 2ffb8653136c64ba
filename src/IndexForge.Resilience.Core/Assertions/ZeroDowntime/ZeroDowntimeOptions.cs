using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Core.Assertions.ZeroDowntime;

/// <summary>`zero-downtime`: no failed request in the rotation window, and every replica on the new version within a bound.</summary>
public sealed record ZeroDowntimeOptions : AssertionOptions
{
    /// <summary>The rotation fault (secret-rotation or cert-rotation).</summary>
    [Required, FaultReference] public string Rotation { get; init; } = "";
    /// <summary>How long after the rotation the window extends (in-flight requests of the old version).</summary>
    [PositiveDuration] public TimeSpan Settle { get; init; } = ZeroDowntimeConstants.DefaultSettle;
    [PositiveDuration] public TimeSpan AllReplicasWithin { get; init; } = ZeroDowntimeConstants.DefaultAllReplicasWithin;
}

public static class ZeroDowntimeConstants
{
    public static readonly TimeSpan DefaultSettle = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultAllReplicasWithin = TimeSpan.FromSeconds(5);
}
