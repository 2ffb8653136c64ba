using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Istio;

/// <summary>ISTIO012: an ingress gateway that may run as a single replica is a single point of failure.</summary>
public sealed class GatewayReplicasRule : LintRule
{
    public override RuleInfo Info { get; } = new("ISTIO012", Severity.Warning, "Istio",
        "ingress gateway may run a single replica", References.IstioInstallOptions);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var op in set.OfKind("IstioOperator"))
        foreach (var gw in op.Root.Seq("spec", "components", "ingressGateways").Items())
        {
            if (gw.Bool("enabled") == false) continue;
            var min = gw.Long("k8s", "hpaSpec", "minReplicas") ?? gw.Long("k8s", "replicaCount") ?? 1;
            if (min >= 2) continue;
            yield return Finding(op.File, gw.Line(),
                $"ingress gateway {gw.Str("name") ?? "(unnamed)"} runs with a minimum of {min} replica",
                "Istio's default gateway autoscaling starts at one replica with a PodDisruptionBudget of minAvailable 1: a node drain " +
                "either blocks or takes all ingress down, and a crash of that pod drops every external request.",
                "Set k8s.hpaSpec.minReplicas: 2 (or more) and spread replicas across zones.");
        }
    }
}
