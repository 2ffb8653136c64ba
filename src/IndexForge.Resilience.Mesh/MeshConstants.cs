namespace IndexForge.Resilience.Mesh;

/// <summary>Defaults of the embedded mesh; values that mirror Istio or Envoy name their source.</summary>
public static class MeshConstants
{
    public const string DefaultNamespace = "indexforge";
    public const string RootNamespace = "istio-system";
    public const string TrustDomain = "cluster.local";
    public const string ServiceHost = "indexforge-search.indexforge.svc.cluster.local";
    public const int ServicePort = 8080;
    public const string CallerRegion = "us-west";
    public const string CallerWorkload = "indexforge-caller";
    public const string CallerServiceAccount = "indexforge-caller";
    public static readonly Version DefaultIstioVersion = new(1, 24);
    /// <summary>istiod stopped reading outlierDetection.consecutiveErrors in this release (istio/istio#24087).</summary>
    public static readonly Version ConsecutiveErrorsIgnoredSince = new(1, 7);
}
