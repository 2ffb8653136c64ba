using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Istio;

/// <summary>ISTIO007: a DestinationRule whose exact host is no known service applies to nothing.</summary>
public sealed class UnknownHostRule : LintRule
{
    public override RuleInfo Info { get; } = new("ISTIO007", Severity.Warning, "Istio",
        "DestinationRule host matches no known service", References.IstioDestinationRule);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        var known = new HashSet<string>(StringComparer.Ordinal) { context.Topology.ServiceHost };
        foreach (var svc in set.OfKind("Service"))
            if (svc.Name is { } name) known.Add($"{name}.{svc.Namespace ?? context.Topology.Namespace}.svc.cluster.local");
        foreach (var se in set.OfKind("ServiceEntry"))
        foreach (var h in se.Root.Seq("spec", "hosts").Items().Select(n => (n as YamlDotNet.RepresentationModel.YamlScalarNode)?.Value))
            if (h is not null) known.Add(h);

        foreach (var dr in IstioModel.DestinationRules(set))
        {
            if (IstioModel.Host(dr) is not { } raw || IstioModel.IsWildcard(raw)) continue;
            var host = IstioModel.Qualify(raw, dr.Namespace);
            if (known.Contains(host)) continue;
            yield return Finding(dr.File, dr.LineOf("spec", "host"),
                $"{dr.Display}: host {host} is not a known service (known: {string.Join(", ", known.Order())})",
                "Istio ignores rules for services that are not in its registry, so the policy in this rule " +
                "(failover, pool limits) silently protects nothing.",
                $"Point spec.host at the real service, e.g. {context.Topology.ServiceHost}.");
        }
    }
}
