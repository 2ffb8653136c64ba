using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Istio;

/// <summary>
/// ISTIO008: Istio looks a DestinationRule up in the client's namespace, then the service's namespace,
/// then the root namespace. One without metadata.namespace lands wherever kubectl points (often default).
/// </summary>
public sealed class DestinationRuleScopeRule : LintRule
{
    public override RuleInfo Info { get; } = new("ISTIO008", Severity.Warning, "Istio",
        "DestinationRule namespace outside the lookup path", References.IstioTrafficBestPractices);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        var topology = context.Topology;
        foreach (var dr in IstioModel.DestinationRules(set))
        {
            var host = IstioModel.Host(dr) is { } h ? IstioModel.Qualify(h, dr.Namespace) : null;
            var serviceNs = host is null ? null : IstioModel.ServiceNamespace(host) ?? (IstioModel.IsWildcard(host) ? host.Split('.').ElementAtOrDefault(1) : null);
            var lookup = new[] { topology.Namespace, serviceNs, topology.IstioRootNamespace }.Where(n => n is not null).Distinct().ToList();
            if (dr.Namespace is null)
            {
                yield return Finding(dr.File, dr.LineOf("metadata"),
                    $"{dr.Display} has no metadata.namespace",
                    $"It is created in kubectl's current namespace (often default). Istio applies a DestinationRule only to clients in its own " +
                    $"namespace, then looks in the service's namespace, then in {topology.IstioRootNamespace}; from default it never reaches callers in {topology.Namespace}.",
                    $"Set metadata.namespace: {serviceNs ?? topology.Namespace} (the service's namespace).");
                continue;
            }
            if (!lookup.Contains(dr.Namespace))
                yield return Finding(dr.File, dr.LineOf("metadata", "namespace"),
                    $"{dr.Display} lives in namespace {dr.Namespace}, outside the lookup path ({string.Join(", ", lookup)})",
                    $"Only clients in {dr.Namespace} will use it; callers in {topology.Namespace} get Istio's defaults instead.",
                    $"Move it to {serviceNs ?? topology.Namespace}.");
        }
    }
}
