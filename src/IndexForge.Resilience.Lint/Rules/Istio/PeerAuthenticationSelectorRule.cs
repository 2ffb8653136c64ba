using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Istio;

/// <summary>ISTIO010: a workload-scoped PeerAuthentication whose selector matches no workload enforces nothing.</summary>
public sealed class PeerAuthenticationSelectorRule : LintRule
{
    public override RuleInfo Info { get; } = new("ISTIO010", Severity.Warning, "Istio",
        "PeerAuthentication selector matches no workload", References.IstioPeerAuthentication);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        var topology = context.Topology;
        var workloads = Workloads.PodTemplates(set).Select(t => (Ns: t.Namespace(topology.Namespace), t.Labels)).ToList();
        workloads.Add((topology.Namespace, topology.WorkloadLabels));
        foreach (var pa in set.OfKind("PeerAuthentication"))
        {
            var selector = pa.Root.Get("spec", "selector");
            if (LabelSelector.IsEmpty(selector)) continue;
            var ns = pa.Namespace ?? topology.Namespace;
            if (workloads.Any(w => w.Ns == ns && LabelSelector.Matches(selector, w.Labels))) continue;
            var wanted = string.Join(", ", selector.Get("matchLabels").Labels().Select(kv => $"{kv.Key}={kv.Value}"));
            yield return Finding(pa.File, pa.LineOf("spec", "selector"),
                $"{pa.Display}: selector ({wanted}) matches no workload in namespace {ns}",
                "A workload-scoped PeerAuthentication applies only to pods with these labels; the mode it sets (e.g. STRICT) " +
                "is not enforced anywhere, and the pods fall back to the namespace or mesh policy (PERMISSIVE by default).",
                $"Use the workload's labels (e.g. {string.Join(", ", topology.WorkloadLabels.Select(kv => $"{kv.Key}: {kv.Value}"))}) or drop the selector for a namespace-wide policy.");
        }
    }
}
