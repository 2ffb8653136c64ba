using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Kubernetes;

/// <summary>K8S006: a ServiceEntry declares an external dependency that the NetworkPolicy then blocks.</summary>
public sealed class ExternalEgressRule : NetworkNeedRule
{
    public override RuleInfo Info { get; } = new("K8S006", Severity.Warning, "Kubernetes",
        "NetworkPolicy blocks an external host the mesh declares", References.IstioServiceEntry);

    protected override bool Egress => true;

    protected override IEnumerable<NetworkPeer> Needs(ConfigSet set, LintContext context)
    {
        foreach (var se in set.OfKind("ServiceEntry"))
        {
            if (se.Root.Str("spec", "location") != "MESH_EXTERNAL") continue;
            var hosts = string.Join(",", se.Root.Get("spec", "hosts").Strings());
            foreach (var port in se.Root.Seq("spec", "ports").Items())
                if (port.Long("number") is { } number)
                    yield return new NetworkPeer($"{hosts} (ServiceEntry {se.Name})", null, new Dictionary<string, string>(), true, (int)number, "TCP");
        }
    }

    protected override (string Why, string Fix) Explain(NetworkPeer peer, LintContext context) => (
        "The sidecar originates external connections from the pod itself (no egress gateway is configured), so the pod's " +
        "NetworkPolicy must allow them; the ServiceEntry makes the host known to Istio but the packets are still dropped.",
        $"Add an egress rule with an ipBlock for the external range (e.g. 0.0.0.0/0 except the cluster's private ranges) on TCP {peer.Port}, or route it through an egress gateway.");
}
