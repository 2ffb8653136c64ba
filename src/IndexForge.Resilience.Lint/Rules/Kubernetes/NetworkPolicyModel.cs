using System.Net;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;
using YamlDotNet.RepresentationModel;

namespace IndexForge.Resilience.Lint.Rules.Kubernetes;

/// <summary>Something a workload must reach (egress) or be reached by (ingress).</summary>
public sealed record NetworkPeer(string Name, string? Namespace, IReadOnlyDictionary<string, string> PodLabels, bool External, int Port, string Protocol)
{
    public IReadOnlyDictionary<string, string> NamespaceLabels =>
        Namespace is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = Namespace };
}

/// <summary>
/// Evaluates NetworkPolicies the way the API defines them: policies selecting a pod are additive; a
/// direction is isolated once any selecting policy lists it in policyTypes; a rule allows a peer when one
/// of its peers and one of its ports match (absent lists match everything).
/// </summary>
public static class NetworkPolicyModel
{
    /// <summary>Policies that select the workload. Policies without a namespace are taken as meant for the workload's namespace.</summary>
    public static IReadOnlyList<KubeResource> Selecting(ConfigSet set, string ns, IReadOnlyDictionary<string, string> labels) =>
        set.OfKind("NetworkPolicy")
            .Where(p => (p.Namespace ?? ns) == ns && LabelSelector.Matches(p.Root.Get("spec", "podSelector"), labels))
            .ToList();

    public static bool Isolates(KubeResource policy, bool egress)
    {
        var types = policy.Root.Get("spec", "policyTypes").Strings();
        if (types.Count == 0) return egress ? policy.Root.Has("spec", "egress") : true;
        return types.Contains(egress ? "Egress" : "Ingress");
    }

    /// <summary>Null when no selecting policy isolates this direction (everything allowed); else whether the peer is allowed.</summary>
    public static bool Allows(IReadOnlyList<KubeResource> policies, string policyNs, bool egress, NetworkPeer peer)
    {
        var isolating = policies.Where(p => Isolates(p, egress)).ToList();
        if (isolating.Count == 0) return true;
        foreach (var policy in isolating)
        foreach (var rule in policy.Root.Seq("spec", egress ? "egress" : "ingress").Items())
            if (PortsMatch(rule.Get("ports"), peer) && PeersMatch(rule.Get(egress ? "to" : "from"), policyNs, peer))
                return true;
        return false;
    }

    public static bool IsolatesAny(IReadOnlyList<KubeResource> policies, bool egress) => policies.Any(p => Isolates(p, egress));

    private static bool PortsMatch(YamlNode? ports, NetworkPeer peer)
    {
        if (ports is not YamlSequenceNode seq || seq.Children.Count == 0) return true;
        foreach (var p in seq.Children)
        {
            var protocol = p.Str("protocol") ?? "TCP";
            if (!string.Equals(protocol, peer.Protocol, StringComparison.OrdinalIgnoreCase)) continue;
            if (!p.Has("port")) return true;
            if (p.Long("port") is not { } port) continue; // named ports resolve on the pod; we cannot see them
            var end = p.Long("endPort") ?? port;
            if (peer.Port >= port && peer.Port <= end) return true;
        }
        return false;
    }

    private static bool PeersMatch(YamlNode? peers, string policyNs, NetworkPeer peer)
    {
        if (peers is not YamlSequenceNode seq || seq.Children.Count == 0) return true;
        foreach (var p in seq.Children)
        {
            if (p.Get("ipBlock") is { } block)
            {
                if (peer.External && CoversInternet(block)) return true;
                continue;
            }
            if (peer.External) continue;
            var nsSelector = p.Get("namespaceSelector");
            var podSelector = p.Get("podSelector");
            var nsOk = nsSelector is null ? peer.Namespace == policyNs : LabelSelector.Matches(nsSelector, peer.NamespaceLabels);
            var podOk = podSelector is null || LabelSelector.Matches(podSelector, peer.PodLabels);
            if (nsOk && podOk) return true;
        }
        return false;
    }

    /// <summary>An ipBlock that admits public addresses (a /0, or any block that is not private space).</summary>
    private static bool CoversInternet(YamlNode block)
    {
        var cidr = block.Str("cidr");
        if (cidr is null || !cidr.Contains('/')) return false;
        var prefix = cidr.Split('/')[1];
        if (prefix == "0") return true;
        var address = IPAddress.TryParse(cidr.Split('/')[0], out var ip) ? ip.GetAddressBytes() : null;
        if (address is null || address.Length != 4) return false;
        var isPrivate = address[0] == 10 || (address[0] == 172 && address[1] is >= 16 and <= 31) || (address[0] == 192 && address[1] == 168);
        return !isPrivate;
    }
}

/// <summary>Shared shape of the reachability rules: which policy selects the workload, what it must reach.</summary>
public abstract class NetworkNeedRule : LintRule
{
    protected abstract bool Egress { get; }
    protected abstract IEnumerable<NetworkPeer> Needs(ConfigSet set, LintContext context);
    protected abstract (string Why, string Fix) Explain(NetworkPeer peer, LintContext context);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        var topology = context.Topology;
        var policies = NetworkPolicyModel.Selecting(set, topology.Namespace, topology.WorkloadLabels);
        if (!NetworkPolicyModel.IsolatesAny(policies, Egress)) yield break;
        foreach (var peer in Needs(set, context))
        {
            if (NetworkPolicyModel.Allows(policies, topology.Namespace, Egress, peer)) continue;
            var policy = policies.First(p => NetworkPolicyModel.Isolates(p, Egress));
            var (why, fix) = Explain(peer, context);
            var where = peer.External ? "outside the cluster" : $"{peer.Namespace}/{string.Join(",", peer.PodLabels.Select(kv => $"{kv.Key}={kv.Value}"))}";
            yield return Finding(policy.File, policy.LineOf("spec", Egress ? "egress" : "ingress"),
                $"{policy.Display} blocks {(Egress ? "egress to" : "ingress from")} {peer.Name} ({where}, {peer.Protocol}/{peer.Port})",
                why, fix);
        }
    }
}
