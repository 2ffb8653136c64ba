using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Istio;

/// <summary>
/// ISTIO003: Envoy ejects a host only if 100 × (ejected + 1) / hosts ≤ maxEjectionPercent, counted over
/// all localities. With the default 10% and fewer than 10 hosts nothing is ever ejected; with locality
/// failover a whole caller region must be ejectable or traffic never fails over.
/// </summary>
public sealed class MaxEjectionPercentRule : LintRule
{
    public override RuleInfo Info { get; } = new("ISTIO003", Severity.Error, "Istio",
        "maxEjectionPercent cannot eject in this topology", References.EnvoyOutlier);

    /// <summary>Largest number of hosts Envoy will hold ejected at once.</summary>
    public static int EjectableHosts(int maxEjectionPercent, int hosts) =>
        hosts <= 0 ? 0 : Math.Min(hosts, maxEjectionPercent * hosts / 100);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        var topology = context.Topology;
        var hosts = topology.TotalReplicas;
        var callerRegion = topology.ReplicasIn(topology.CallerRegion);
        foreach (var site in IstioModel.TrafficPolicies(set))
        {
            if (site.OutlierDetection is not { } od) continue;
            if (site.Owner is { } dr && !IstioModel.TargetsService(dr, topology)) continue;
            var percent = (int)(od.Long("maxEjectionPercent") ?? IstioModel.DefaultMaxEjectionPercent);
            var written = od.Has("maxEjectionPercent") ? $"maxEjectionPercent: {percent}" : $"maxEjectionPercent unset (default {IstioModel.DefaultMaxEjectionPercent})";
            var line = od.LineOf(od.Line(), "maxEjectionPercent");
            var ejectable = EjectableHosts(percent, hosts);
            var needed = (int)Math.Ceiling(100.0 * callerRegion / hosts);
            if (ejectable == 0)
            {
                yield return Finding(site.File, line,
                    $"{site.Where}: {written} ejects nothing with {hosts} hosts",
                    $"Envoy ejects only while 100 × (ejected + 1) / hosts ≤ maxEjectionPercent: 100 × 1 / {hosts} = {100.0 / hosts:0.#}% > {percent}%, " +
                    "so every ejection overflows (envoy_cluster_outlier_detection_ejections_overflow) and a failing replica keeps its share of traffic.",
                    $"Set maxEjectionPercent to at least {needed} so one replica and a whole {topology.CallerRegion} region ({callerRegion} of {hosts}) can be ejected.");
                continue;
            }
            var failover = site.Owner is null ? null : IstioModel.TrafficPolicies(set, includeFragments: false)
                .FirstOrDefault(s => s.Owner == site.Owner && IstioModel.HasFailover(s.LocalityLb));
            if (failover is not null && ejectable < callerRegion)
                yield return Finding(site.File, line,
                    $"{site.Where}: {written} ejects at most {ejectable} of {hosts} hosts, fewer than the {callerRegion} in {topology.CallerRegion}",
                    $"Locality failover moves all traffic to the next region only once the caller's region has no healthy host; " +
                    $"with at most {ejectable} ejected, a {topology.CallerRegion} outage leaves failing hosts in rotation and failover never completes.",
                    $"Set maxEjectionPercent to at least {needed} (100 × {callerRegion} / {hosts}).");
        }
    }
}
