using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Kubernetes;

/// <summary>K8S014: namespaced objects without metadata.namespace land wherever kubectl points.</summary>
public sealed class MissingNamespaceRule : LintRule
{
    private static readonly HashSet<string> ClusterScoped = new(StringComparer.Ordinal)
    {
        "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume", "StorageClass",
        "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "PriorityClass", "IngressClass",
        // Handled with Istio's own lookup rules by ISTIO008.
        "DestinationRule",
    };

    public override RuleInfo Info { get; } = new("K8S014", Severity.Warning, "Kubernetes",
        "namespaced object without metadata.namespace", References.K8sNamespaces);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var r in set.Resources)
        {
            if (r.Namespace is not null || ClusterScoped.Contains(r.Kind)) continue;
            if (r.Kind == "IstioOperator") continue; // istioctl installs it into istio-system itself
            var why = r.Kind switch
            {
                "NetworkPolicy" => $"A NetworkPolicy selects pods only in its own namespace; created in kubectl's current namespace (often default) it protects nothing in {context.Topology.Namespace}.",
                "ServiceEntry" => "A ServiceEntry is visible from its namespace (and exported ones); in the wrong namespace the sidecars that need it may not see it.",
                _ => "kubectl creates it in the current context's namespace (often default), so where it ends up depends on who runs the command.",
            };
            yield return Finding(r.File, r.LineOf("metadata"), $"{r.Display} has no metadata.namespace", why,
                $"Set metadata.namespace (e.g. {context.Topology.Namespace}).");
        }
    }
}
