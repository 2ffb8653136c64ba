using System.Globalization;
using IndexForge.Resilience.Mesh.Config;

namespace IndexForge.Resilience.Mesh.Outlier;

/// <summary>
/// The Envoy cluster outlier_detection Istio generates from a DestinationRule
/// (pilot/pkg/networking/core/cluster_traffic_policy.go, applyOutlierDetection), with Envoy's defaults
/// filled in. Detection and enforcement are separate, as in Envoy: a detected but unenforced ejection
/// still passes the max-ejection-percent check (and can count an overflow).
/// </summary>
public sealed record OutlierDetectorSettings
{
    public uint Consecutive5xx { get; init; } = OutlierConstants.Consecutive5xx;
    public bool Enforce5xx { get; init; } = true;
    public uint ConsecutiveGatewayFailure { get; init; } = OutlierConstants.ConsecutiveGatewayFailure;
    /// <summary>Envoy's enforcing_consecutive_gateway_failure defaults to 0%; Istio sets 100% when consecutiveGatewayErrors &gt; 0.</summary>
    public bool EnforceGatewayFailure { get; init; }
    public TimeSpan Interval { get; init; } = OutlierConstants.Interval;
    public TimeSpan BaseEjectionTime { get; init; } = OutlierConstants.BaseEjectionTime;
    public TimeSpan MaxEjectionTime { get; init; } = OutlierConstants.MaxEjectionTime;
    public int MaxEjectionPercent { get; init; } = OutlierConstants.MaxEjectionPercent;
    /// <summary>healthy_panic_threshold of the cluster (Istio's minHealthPercent).</summary>
    public int PanicThresholdPercent { get; init; } = OutlierConstants.IstioPanicThreshold;

    /// <summary>Maps Istio's outlierDetection; null when the DestinationRule has none (no detector, as in Istio).</summary>
    public static OutlierDetectorSettings? FromIstio(OutlierDetectionSettings? od, Version istioVersion, ICollection<ConfigDiagnostic> warnings)
    {
        if (od is null) return null;
        var s = new OutlierDetectorSettings();
        if (od.ConsecutiveErrors is { } legacy)
        {
            if (istioVersion >= MeshConstants.ConsecutiveErrorsIgnoredSince)
            {
                warnings.Add(new(od.ConsecutiveErrorsLocation,
                    $"outlierDetection.consecutiveErrors is deprecated and ignored by Istio {istioVersion.ToString(2)} (since 1.7, istio/istio#24087); " +
                    $"Envoy's default of {OutlierConstants.Consecutive5xx} consecutive 5xx applies unless consecutive5xxErrors is set"));
            }
            else if (legacy > 0)
            {
                // Istio < 1.7: "Only listen to gateway errors, see https://github.com/istio/api/pull/617".
                s = s with { ConsecutiveGatewayFailure = (uint)legacy, EnforceGatewayFailure = true, Enforce5xx = false };
                warnings.Add(new(od.ConsecutiveErrorsLocation,
                    $"outlierDetection.consecutiveErrors: {legacy.ToString(CultureInfo.InvariantCulture)} is mapped as Istio {istioVersion.ToString(2)} maps it: {legacy} consecutive gateway errors (502/503/504), 5xx ejection off"));
            }
        }
        if (od.Consecutive5xxErrors is { } c5) s = s with { Consecutive5xx = c5, Enforce5xx = c5 > 0 };
        if (od.ConsecutiveGatewayErrors is { } cg) s = s with { ConsecutiveGatewayFailure = cg, EnforceGatewayFailure = cg > 0 };
        if (od.Interval is { } interval) s = s with { Interval = interval };
        if (od.BaseEjectionTime is { } b) s = s with { BaseEjectionTime = b };
        s = s with { MaxEjectionTime = s.BaseEjectionTime > OutlierConstants.MaxEjectionTime ? s.BaseEjectionTime : OutlierConstants.MaxEjectionTime };
        if (od.MaxEjectionPercent > 0) s = s with { MaxEjectionPercent = od.MaxEjectionPercent };
        return s with { PanicThresholdPercent = od.MinHealthPercent };
    }
}
