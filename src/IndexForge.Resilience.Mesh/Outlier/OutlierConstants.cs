namespace IndexForge.Resilience.Mesh.Outlier;

/// <summary>Envoy's outlier detection defaults (source/common/upstream/outlier_detection_impl.h, DetectorConfig).</summary>
public static class OutlierConstants
{
    public const uint Consecutive5xx = 5;
    public const uint ConsecutiveGatewayFailure = 5;
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan BaseEjectionTime = TimeSpan.FromSeconds(30);
    /// <summary>DEFAULT_MAX_EJECTION_TIME_MS = 10 × base default; Envoy uses the larger of this and the base time.</summary>
    public static readonly TimeSpan MaxEjectionTime = TimeSpan.FromSeconds(300);
    public const int MaxEjectionPercent = 10;
    /// <summary>Istio sets healthy_panic_threshold to minHealthPercent, default 0 (panic off); Envoy's own default is 50.</summary>
    public const int IstioPanicThreshold = 0;
    public const int EnvoyPanicThreshold = 50;
}
