using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Kubernetes;

/// <summary>K8S002: an egress-isolating NetworkPolicy without DNS breaks every name lookup.</summary>
public sealed class DnsEgressRule : NetworkNeedRule
{
    public override RuleInfo Info { get; } = new("K8S002", Severity.Error, "Kubernetes",
        "NetworkPolicy blocks DNS egress", References.K8sNetworkPolicy);

    protected override bool Egress => true;

    protected override IEnumerable<NetworkPeer> Needs(ConfigSet set, LintContext context) =>
    [
        new("cluster DNS (kube-dns/CoreDNS)", LintConstants.DnsNamespace, new Dictionary<string, string> { ["k8s-app"] = "kube-dns" }, false, LintConstants.DnsPort, "UDP"),
    ];

    protected override (string Why, string Fix) Explain(NetworkPeer peer, LintContext context) => (
        "Once egress is isolated only the listed destinations are allowed; without UDP/TCP 53 to CoreDNS every lookup " +
        "(Vault's name, external APIs, even istiod) times out and the pod fails in ways that look like the network is down.",
        "Add an egress rule to: namespaceSelector kubernetes.io/metadata.name: kube-system, podSelector k8s-app: kube-dns, ports UDP 53 and TCP 53.");
}
