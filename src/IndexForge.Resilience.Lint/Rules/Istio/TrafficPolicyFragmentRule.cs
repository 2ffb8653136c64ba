using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Istio;

/// <summary>ISTIO002: a trafficPolicy with no DestinationRule around it (no kind, metadata or host) applies to nothing.</summary>
public sealed class TrafficPolicyFragmentRule : LintRule
{
    public override RuleInfo Info { get; } = new("ISTIO002", Severity.Error, "Istio",
        "trafficPolicy fragment without host or metadata", References.IstioDestinationRule);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        var fullRules = IstioModel.TrafficPolicies(set, includeFragments: false).Where(s => s.OutlierDetection is not null).ToList();
        foreach (var fragment in set.Fragments.Where(f => f.Kind == FragmentKind.TrafficPolicy))
        {
            var od = fragment.Root.Get("spec", "trafficPolicy", "outlierDetection") ?? fragment.Root.Get("trafficPolicy", "outlierDetection");
            var conflicts = new List<string>();
            if (od is not null)
                foreach (var site in fullRules)
                foreach (var field in new[] { "interval", "baseEjectionTime", "maxEjectionPercent", "consecutive5xxErrors" })
                {
                    var mine = od.Str(field);
                    var theirs = site.OutlierDetection.Str(field);
                    if (mine != theirs && (mine ?? theirs) is not null)
                        conflicts.Add($"{field} {mine ?? "(unset)"} here vs {theirs ?? "(unset)"} in {site.Where}");
                }
            var conflictText = conflicts.Count > 0 ? " It also disagrees with the full rule: " + string.Join("; ", conflicts) + "." : "";
            yield return Finding(fragment.File, fragment.Line,
                "trafficPolicy without apiVersion, kind, metadata.name or spec.host: it is not a DestinationRule and applies to no service",
                "kubectl rejects it; pasted into another DestinationRule it silently replaces that rule's settings, and Istio " +
                "keeps only one top-level trafficPolicy per host." + conflictText,
                "Merge these settings into the one DestinationRule for the exact service host (apiVersion networking.istio.io/v1, " +
                "kind DestinationRule, metadata.name/namespace, spec.host).");
        }
    }
}
