using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Istio;

/// <summary>ISTIO005: two DestinationRules for the same host in the same namespace; only one top-level trafficPolicy survives.</summary>
public sealed class DuplicateDestinationRuleRule : LintRule
{
    public override RuleInfo Info { get; } = new("ISTIO005", Severity.Warning, "Istio",
        "several DestinationRules for the same host", References.IstioTrafficBestPractices);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        var groups = IstioModel.DestinationRules(set)
            .Where(dr => IstioModel.Host(dr) is not null)
            .GroupBy(dr => (Ns: dr.Namespace ?? "", Host: IstioModel.Qualify(IstioModel.Host(dr)!, dr.Namespace)));
        foreach (var group in groups)
        {
            var rules = group.ToList();
            if (rules.Count < 2) continue;
            var first = rules[0];
            foreach (var other in rules.Skip(1))
                yield return Finding(other.File, other.LineOf("spec", "host"),
                    $"{other.Display} and {first.Display} ({first.File}:{first.Line}) both target {group.Key.Host}",
                    "Istio merges DestinationRules for one host only partially: subsets are combined, but only the oldest rule's " +
                    "top-level trafficPolicy is used, so which outlier detection and pool limits apply depends on creation order.",
                    "Keep one DestinationRule per host and namespace with the whole trafficPolicy in it.");
        }
    }
}
