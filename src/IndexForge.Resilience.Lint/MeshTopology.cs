using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Lint;

/// <summary>
/// What the configuration is meant to serve: the workload, its callers and the regions its replicas run in.
/// Rules that depend on numbers (maxEjectionPercent) or on reachability (NetworkPolicy) judge against this.
/// </summary>
public sealed record MeshTopology
{
    [Required] public string Namespace { get; init; } = LintConstants.WorkloadNamespace;
    [Required] public string ServiceHost { get; init; } = LintConstants.ServiceHost;
    [Range(1, 65535)] public int ServicePort { get; init; } = LintConstants.ServicePort;
    public IReadOnlyDictionary<string, string> WorkloadLabels { get; init; } =
        new Dictionary<string, string> { [LintConstants.WorkloadLabelKey] = LintConstants.WorkloadLabelValue };
    public IReadOnlyDictionary<string, string> CallerLabels { get; init; } =
        new Dictionary<string, string> { [LintConstants.WorkloadLabelKey] = LintConstants.CallerLabelValue };
    [Required] public string CallerPrincipal { get; init; } = LintConstants.CallerPrincipal;
    [Required] public string CallerRegion { get; init; } = LintConstants.CallerRegion;
    /// <summary>Replicas per region, e.g. us-west: 3, us-east: 3.</summary>
    public IReadOnlyDictionary<string, int> Regions { get; init; } = new Dictionary<string, int>
    {
        [LintConstants.CallerRegion] = LintConstants.ReplicasPerRegion,
        [LintConstants.FailoverRegion] = LintConstants.ReplicasPerRegion,
    };
    [Required] public string IstioRootNamespace { get; init; } = LintConstants.IstioRootNamespace;
    [Required] public string VaultNamespace { get; init; } = LintConstants.VaultNamespace;
    [Range(1, 65535)] public int VaultPort { get; init; } = LintConstants.VaultPort;

    public int TotalReplicas => Regions.Values.Sum();
    public int ReplicasIn(string region) => Regions.TryGetValue(region, out var n) ? n : 0;
}
