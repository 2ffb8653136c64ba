namespace IndexForge.Resilience.Kubernetes.Kube;

/// <summary>Labels and annotations the harness puts on what it creates; the reaper and the guard read them.</summary>
public static class KubeLabels
{
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "indexforge-resilience";
    public const string RunId = "indexforge.io/run-id";
    /// <summary>Unix seconds (label values cannot hold ':' so an ISO time would not fit).</summary>
    public const string ExpiresAt = "indexforge.io/expires-at";
    /// <summary>The same expiry as an ISO 8601 annotation, for people reading kubectl output.</summary>
    public const string ExpiresAtAnnotation = "indexforge.io/expires-at-iso";
    public const string App = "app";
    public const string AppValue = "indexforge";
    public const string Replica = "indexforge.io/replica";
    public const string Region = "topology.kubernetes.io/region";
    public const string Zone = "topology.kubernetes.io/zone";
    /// <summary>Istio reads a pod's locality from this label (region.zone) before the node's labels.</summary>
    public const string IstioLocality = "istio-locality";
    public const string IstioInjection = "istio-injection";
    public const string Role = "indexforge.io/role";
    public const string FieldManager = "indexforge-resilience";

    /// <summary>The selector of every namespace a harness run created.</summary>
    public const string RunNamespaceSelector = $"{ManagedBy}={ManagedByValue},{RunId}";
}
