using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Kubernetes;

/// <summary>K8S005: the service's own callers must be admitted on the service port.</summary>
public sealed class MeshIngressRule : NetworkNeedRule
{
    public override RuleInfo Info { get; } = new("K8S005", Severity.Error, "Kubernetes",
        "NetworkPolicy blocks ingress from the service's callers", References.K8sNetworkPolicy);

    protected override bool Egress => false;

    protected override IEnumerable<NetworkPeer> Needs(ConfigSet set, LintContext context) =>
    [
        new("the caller", context.Topology.Namespace, context.Topology.CallerLabels, false, context.Topology.ServicePort, "TCP"),
    ];

    protected override (string Why, string Fix) Explain(NetworkPeer peer, LintContext context) => (
        "Istio's sidecar redirects traffic inside the pod, after the CNI has applied NetworkPolicy, so the policy must admit the " +
        "application port itself. The caller's connections are dropped before mTLS or AuthorizationPolicy ever see them: clients " +
        "see timeouts, not 403s.",
        $"Allow ingress from podSelector {string.Join(", ", context.Topology.CallerLabels.Select(kv => $"{kv.Key}: {kv.Value}"))} on TCP {context.Topology.ServicePort} " +
        "(and from the ingress gateway namespace if it routes here); leave authorisation to the AuthorizationPolicy.");
}
