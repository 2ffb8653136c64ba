using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Istio;

/// <summary>ISTIO009: localityLbSetting combinations Istio rejects or ignores.</summary>
public sealed class LocalityConflictRule : LintRule
{
    public override RuleInfo Info { get; } = new("ISTIO009", Severity.Error, "Istio",
        "conflicting localityLbSetting", References.IstioLocalityLb);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        var regions = context.Topology.Regions.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var site in IstioModel.TrafficPolicies(set))
        {
            if (site.LocalityLb is not { } lb) continue;
            var line = lb.Line();
            var failover = lb.Seq("failover").Items().ToList();
            if (lb.Seq("distribute").Items().Any() && failover.Count > 0)
                yield return Finding(site.File, line, $"{site.Where}: localityLbSetting sets both distribute and failover",
                    "istiod rejects the rule (\"can not simultaneously specify 'distribute' and 'failover'\"), so none of its policy is pushed.",
                    "Choose one: failover for active/passive regions, distribute for weighted spreading.");
            if (lb.Bool("enabled") == false && (failover.Count > 0 || lb.Seq("distribute").Items().Any()))
                yield return Finding(site.File, lb.LineOf(line, "enabled"), $"{site.Where}: localityLbSetting.enabled is false but failover/distribute is set",
                    "With enabled: false Istio ignores the locality settings; the failover you wrote never happens.",
                    "Set enabled: true (or remove the settings).", Severity.Warning);
            foreach (var entry in failover)
            {
                var from = entry.Str("from");
                var to = entry.Str("to");
                var entryLine = entry.Line();
                if (from is not null && from == to)
                    yield return Finding(site.File, entryLine, $"{site.Where}: failover from {from} to itself",
                        "istiod rejects it: \"locality lb failover settings must specify different regions\".",
                        "Fail over to another region.");
                foreach (var region in new[] { from, to }.Distinct())
                    if (region is not null && !regions.Contains(region))
                        yield return Finding(site.File, entryLine, $"{site.Where}: failover region {region} has no replicas in the topology ({string.Join(", ", regions)})",
                            "Envoy fails over by priority among localities that have endpoints; a region with none is skipped, so traffic " +
                            "goes to whatever priority Envoy computes instead of where you meant.",
                            "Use the region names of the nodes' topology.kubernetes.io/region labels.", Severity.Warning);
            }
        }
    }
}
