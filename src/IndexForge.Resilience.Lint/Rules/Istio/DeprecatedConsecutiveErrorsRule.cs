using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Istio;

/// <summary>ISTIO001: outlierDetection.consecutiveErrors is deprecated and never meant "any 5xx".</summary>
public sealed class DeprecatedConsecutiveErrorsRule : LintRule
{
    public override RuleInfo Info { get; } = new("ISTIO001", Severity.Warning, "Istio",
        "deprecated outlierDetection.consecutiveErrors", References.IstioOutlierDetection);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var site in IstioModel.TrafficPolicies(set))
        {
            if (site.OutlierDetection is not { } od || !od.Has("consecutiveErrors")) continue;
            var value = od.Str("consecutiveErrors");
            yield return Finding(site.File, od.LineOf(site.Line, "consecutiveErrors"),
                $"{site.Where}: outlierDetection.consecutiveErrors: {value} is deprecated",
                "Istio translated consecutiveErrors to Envoy's consecutive_gateway_failure, which counts only 502/503/504 " +
                "(istio/api#617), and current releases no longer translate it at all; a replica answering 500s is never ejected " +
                "by this setting, only by Envoy's built-in default of 5 consecutive 5xx.",
                $"Use consecutive5xxErrors: {value} (all 5xx) or consecutiveGatewayErrors: {value} (502/503/504 only).");
        }
    }
}
