using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Core.Assertions.OutlierEjected;

/// <summary>
/// `outlier-ejected`: the replica's traffic share falls to zero within <see cref="Within"/> (or
/// <see cref="WithinRequests"/> requests it received) of its first failure, comes back after the
/// ejection time when <see cref="ExpectReturn"/>, and the mesh's ejection counters agree.
/// </summary>
public sealed record OutlierEjectedOptions : AssertionOptions
{
    [Required, ReplicaReference] public string Replica { get; init; } = "";
    [PositiveDuration] public TimeSpan Within { get; init; } = OutlierEjectedConstants.DefaultWithin;
    [Range(1, 1_000_000)] public int? WithinRequests { get; init; }
    public bool ExpectReturn { get; init; } = true;
    /// <summary>How long after the fault ends the replica must carry traffic again.</summary>
    public TimeSpan? ReturnWithin { get; init; }
}

public static class OutlierEjectedConstants
{
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(2);
    /// <summary>Envoy's outlier detection defaults, used for the return bound when the mesh configuration sets none.</summary>
    public static readonly TimeSpan EnvoyBaseEjectionTime = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan EnvoyInterval = TimeSpan.FromSeconds(10);
    public const string EnforcedCounter = "envoy_cluster_outlier_detection_ejections_enforced_total";
    public const string ActiveGauge = "envoy_cluster_outlier_detection_ejections_active";
    public const string OverflowCounter = "envoy_cluster_outlier_detection_ejections_overflow";
    public const int IstioMaxEjectionPercent = 10;
}
