namespace IndexForge.Resilience.Lint;

/// <summary>Defaults of the lint: the sample topology the plan describes and the tool settings.</summary>
public static class LintConstants
{
    public const string WorkloadNamespace = "indexforge";
    public const string ServiceHost = "indexforge-search.indexforge.svc.cluster.local";
    public const int ServicePort = 8080;
    public const string WorkloadLabelKey = "app";
    public const string WorkloadLabelValue = "indexforge";
    public const string CallerLabelValue = "indexforge-caller";
    public const string CallerPrincipal = "spiffe://cluster.local/ns/indexforge/sa/indexforge-caller";
    public const string CallerRegion = "us-west";
    public const string FailoverRegion = "us-east";
    public const int ReplicasPerRegion = 3;
    public const string IstioRootNamespace = "istio-system";
    public const int IstiodXdsPort = 15012;
    public const string DnsNamespace = "kube-system";
    public const int DnsPort = 53;
    public const string VaultNamespace = "vault";
    public const int VaultPort = 8200;

    /// <summary>Oldest Vault minor still receiving fixes when this was written (1.21 GA Oct 2025, N-2 support).</summary>
    public const string VaultOldestSupportedMinor = "1.19";

    public const string PromtoolExecutable = "promtool";
    public static readonly TimeSpan PromtoolTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Istio's own sidecar default request (memory); far above this a proxy reservation is suspicious.</summary>
    public const long ProxyMemoryRequestWarnBytes = 512L * 1024 * 1024;
    public const double ProxyCpuRequestWarnCores = 0.5;

    /// <summary>Critical alerts that wait longer than this page too late to matter.</summary>
    public static readonly TimeSpan MaxCriticalForDuration = TimeSpan.FromMinutes(10);

    /// <summary>Directory names of the clusters/ layout; a file's set root is the directory above these.</summary>
    public static readonly IReadOnlyList<string> LayoutDirectories =
        ["istio", "kubernetes", "vault", "prometheus", "gateway", "rotation", "grafana"];
}
