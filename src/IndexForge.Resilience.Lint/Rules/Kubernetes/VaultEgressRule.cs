using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Kubernetes;

/// <summary>K8S004: the workload reads its credentials from Vault; egress to Vault must be open.</summary>
public sealed class VaultEgressRule : NetworkNeedRule
{
    public override RuleInfo Info { get; } = new("K8S004", Severity.Error, "Kubernetes",
        "NetworkPolicy blocks egress to Vault", References.K8sNetworkPolicy);

    protected override bool Egress => true;

    protected override IEnumerable<NetworkPeer> Needs(ConfigSet set, LintContext context) =>
        set.VaultConfigs.Count > 0 || set.ComposeFiles.Count > 0 || set.PythonFiles.Count > 0
            ? [new("Vault", context.Topology.VaultNamespace, new Dictionary<string, string> { ["app.kubernetes.io/name"] = "vault" }, false, context.Topology.VaultPort, "TCP")]
            : [];

    protected override (string Why, string Fix) Explain(NetworkPeer peer, LintContext context) => (
        "The service fetches and refreshes its credentials from Vault; with egress closed the first fetch fails at start-up and " +
        "every rotation after that is missed, so the pod runs on stale credentials until they expire.",
        $"Add an egress rule to namespace {context.Topology.VaultNamespace} (podSelector app.kubernetes.io/name: vault) on TCP {context.Topology.VaultPort}, " +
        "or an ipBlock for Vault's address when it runs outside the cluster.");
}
