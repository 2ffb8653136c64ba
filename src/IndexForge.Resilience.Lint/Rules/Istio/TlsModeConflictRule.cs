using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Istio;

/// <summary>ISTIO016: a DestinationRule that disables Istio mTLS towards a STRICT workload breaks every call.</summary>
public sealed class TlsModeConflictRule : LintRule
{
    public override RuleInfo Info { get; } = new("ISTIO016", Severity.Error, "Istio",
        "DestinationRule TLS mode conflicts with STRICT PeerAuthentication", References.IstioMutualTlsMigration);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        var topology = context.Topology;
        var strict = set.OfKind("PeerAuthentication").Any(pa =>
            (pa.Namespace ?? topology.Namespace) is var ns && (ns == topology.Namespace || ns == topology.IstioRootNamespace) &&
            pa.Root.Str("spec", "mtls", "mode") == "STRICT" &&
            LabelSelector.Matches(pa.Root.Get("spec", "selector"), topology.WorkloadLabels));
        if (!strict) yield break;
        foreach (var site in IstioModel.TrafficPolicies(set, includeFragments: false))
        {
            if (site.Owner is not { } dr || !IstioModel.TargetsService(dr, topology)) continue;
            var mode = site.Policy.Str("tls", "mode");
            if (mode is not ("DISABLE" or "SIMPLE" or "MUTUAL")) continue;
            yield return Finding(site.File, site.Policy.LineOf(site.Line, "tls", "mode"),
                $"{site.Where}: tls.mode {mode} towards {topology.ServiceHost}, whose PeerAuthentication is STRICT",
                "The client sidecar stops presenting the mesh certificate (plain text, or TLS with other certificates) and the STRICT " +
                "server refuses the connection: every request fails with 503 (upstream connect error).",
                "Use tls.mode: ISTIO_MUTUAL or remove tls so auto-mTLS applies.");
        }
    }
}
