using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Istio;

/// <summary>ISTIO013: STRICT mTLS authenticates peers but authorises every one of them; without an AuthorizationPolicy any mesh workload may call.</summary>
public sealed class StrictWithoutAuthorizationRule : LintRule
{
    public override RuleInfo Info { get; } = new("ISTIO013", Severity.Warning, "Istio",
        "STRICT mTLS without an AuthorizationPolicy", References.IstioAuthorizationConcepts);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        var topology = context.Topology;
        var scopes = new[] { topology.Namespace, topology.IstioRootNamespace };
        var strict = set.OfKind("PeerAuthentication")
            .Where(pa => scopes.Contains(pa.Namespace ?? topology.Namespace) && pa.Root.Str("spec", "mtls", "mode") == "STRICT")
            .ToList();
        if (strict.Count == 0) return [];
        var authorized = set.OfKind("AuthorizationPolicy").Any(ap =>
            scopes.Contains(ap.Namespace ?? topology.Namespace) &&
            LabelSelector.Matches(ap.Root.Get("spec", "selector"), topology.WorkloadLabels));
        if (authorized) return [];
        var first = strict[0];
        return [Finding(first.File, first.LineOf("spec", "mtls", "mode"),
            $"{first.Display} requires mTLS in {topology.Namespace}, but no AuthorizationPolicy restricts who may call {topology.ServiceHost}",
            "mTLS proves who the caller is; it does not limit callers. Every workload with a mesh certificate (any namespace) can " +
            "reach the service, so an unauthorised-source probe succeeds.",
            $"Add an AuthorizationPolicy (action ALLOW) selecting the workload with from.source.principals: [\"{topology.CallerPrincipal.Replace("spiffe://", "")}\"].")];
    }
}
