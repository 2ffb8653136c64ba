using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Istio;

/// <summary>ISTIO004: locality failover needs outlier detection in the same trafficPolicy to know a locality is unhealthy.</summary>
public sealed class FailoverWithoutOutlierDetectionRule : LintRule
{
    public override RuleInfo Info { get; } = new("ISTIO004", Severity.Error, "Istio",
        "locality failover without outlierDetection", References.IstioLocalityFailover);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var site in IstioModel.TrafficPolicies(set))
        {
            if (!IstioModel.HasFailover(site.LocalityLb) || site.OutlierDetection is not null) continue;
            yield return Finding(site.File, site.LocalityLb!.LineOf(site.Line, "failover"),
                $"{site.Where}: localityLbSetting.failover without outlierDetection",
                "Istio only fails over when outlier detection marks endpoints unhealthy (istiod warns \"outlier detection policy must be " +
                "provided for failover\"); without it Envoy never learns a region is down and keeps sending traffic to it.",
                "Add outlierDetection (consecutive5xxErrors, interval, baseEjectionTime, maxEjectionPercent) to the same trafficPolicy.");
        }
    }
}
