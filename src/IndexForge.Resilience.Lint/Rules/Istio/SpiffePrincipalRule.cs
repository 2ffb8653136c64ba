using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;
using YamlDotNet.RepresentationModel;

namespace IndexForge.Resilience.Lint.Rules.Istio;

/// <summary>ISTIO014: Istio prepends spiffe:// to source principals; writing it yourself makes the match impossible.</summary>
public sealed class SpiffePrincipalRule : LintRule
{
    public override RuleInfo Info { get; } = new("ISTIO014", Severity.Error, "Istio",
        "AuthorizationPolicy principal written with spiffe://", References.IstioAuthorizationPolicy);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var ap in set.OfKind("AuthorizationPolicy"))
        foreach (var rule in ap.Root.Seq("spec", "rules").Items())
        foreach (var from in rule.Seq("from").Items())
        foreach (var field in new[] { "principals", "notPrincipals" })
        foreach (var p in from.Seq("source", field).Items().OfType<YamlScalarNode>())
        {
            if (p.Value is not { } value || !value.StartsWith("spiffe://", StringComparison.Ordinal)) continue;
            yield return Finding(ap.File, p.Line(),
                $"{ap.Display}: source.{field} \"{value}\" includes the spiffe:// scheme",
                "Istio builds the Envoy RBAC matcher as \"spiffe://\" + value, so this entry only matches \"spiffe://spiffe://...\" and never a " +
                (field == "principals" ? "real peer: an ALLOW policy then refuses the legitimate caller." : "real peer: the exclusion never applies."),
                $"Write \"{value["spiffe://".Length..]}\" (trust domain/ns/namespace/sa/service-account).");
        }
    }
}
