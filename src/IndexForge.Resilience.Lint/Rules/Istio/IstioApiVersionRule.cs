using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Istio;

/// <summary>ISTIO015: alpha/beta Istio APIs where v1 is served (Istio 1.22+).</summary>
public sealed class IstioApiVersionRule : LintRule
{
    private static readonly Dictionary<string, string> Replacements = new(StringComparer.Ordinal)
    {
        ["networking.istio.io/v1alpha3"] = "networking.istio.io/v1",
        ["networking.istio.io/v1beta1"] = "networking.istio.io/v1",
        ["security.istio.io/v1beta1"] = "security.istio.io/v1",
    };

    public override RuleInfo Info { get; } = new("ISTIO015", Severity.Info, "Istio", "pre-v1 Istio API version", References.IstioV1Apis);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var r in set.Resources)
        {
            if (!Replacements.TryGetValue(r.ApiVersion, out var v1)) continue;
            yield return Finding(r.File, r.LineOf("apiVersion"),
                $"{r.Display} uses {r.ApiVersion}",
                "Since Istio 1.22 these resources are served as v1; the alpha/beta versions remain for compatibility and are the ones " +
                "that will be removed, and new fields are documented against v1.",
                $"Use apiVersion: {v1} (same schema).");
        }
    }
}
