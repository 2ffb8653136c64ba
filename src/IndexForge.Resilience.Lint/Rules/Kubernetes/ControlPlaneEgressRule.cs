using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Kubernetes;

/// <summary>K8S003: a meshed pod must reach istiod (xDS and certificates on 15012).</summary>
public sealed class ControlPlaneEgressRule : NetworkNeedRule
{
    public override RuleInfo Info { get; } = new("K8S003", Severity.Error, "Kubernetes",
        "NetworkPolicy blocks the Istio control plane", References.IstioPorts);

    protected override bool Egress => true;

    protected override IEnumerable<NetworkPeer> Needs(ConfigSet set, LintContext context) => set.HasMesh
        ? [new("istiod (xDS and certificate signing)", context.Topology.IstioRootNamespace, new Dictionary<string, string> { ["app"] = "istiod" }, false, LintConstants.IstiodXdsPort, "TCP")]
        : [];

    protected override (string Why, string Fix) Explain(NetworkPeer peer, LintContext context) => (
        "The sidecar gets its configuration and its mTLS certificate from istiod on port 15012. Blocked, the proxy never becomes " +
        "ready (pods stay 0/2), and running pods cannot renew their 24 h workload certificates, so STRICT mTLS fails a day later.",
        $"Add an egress rule to namespace {context.Topology.IstioRootNamespace}, podSelector app: istiod, TCP 15012.");
}
