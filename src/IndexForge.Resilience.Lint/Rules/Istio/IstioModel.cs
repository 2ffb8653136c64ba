using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;
using YamlDotNet.RepresentationModel;

namespace IndexForge.Resilience.Lint.Rules.Istio;

/// <summary>A trafficPolicy wherever it sits: a DestinationRule (top level, port, subset) or a fragment.</summary>
public sealed record TrafficPolicySite(string File, YamlNode Policy, KubeResource? Owner, string Where)
{
    public int Line => Policy.Line();
    public YamlNode? OutlierDetection => Policy.Get("outlierDetection");
    public YamlNode? LocalityLb => Policy.Get("loadBalancer", "localityLbSetting");
}

public static class IstioModel
{
    public const int DefaultMaxEjectionPercent = 10;

    public static IEnumerable<KubeResource> DestinationRules(ConfigSet set) => set.OfKind("DestinationRule");

    public static IEnumerable<TrafficPolicySite> TrafficPolicies(ConfigSet set, bool includeFragments = true)
    {
        foreach (var dr in DestinationRules(set))
        {
            if (dr.Root.Get("spec", "trafficPolicy") is { } top) yield return new TrafficPolicySite(dr.File, top, dr, $"{dr.Display} trafficPolicy");
            var i = 0;
            foreach (var port in dr.Root.Seq("spec", "trafficPolicy", "portLevelSettings").Items())
                yield return new TrafficPolicySite(dr.File, port, dr, $"{dr.Display} portLevelSettings[{i++}]");
            foreach (var subset in dr.Root.Seq("spec", "subsets").Items())
                if (subset.Get("trafficPolicy") is { } sp) yield return new TrafficPolicySite(dr.File, sp, dr, $"{dr.Display} subset {subset.Str("name")}");
        }
        if (!includeFragments) yield break;
        foreach (var fragment in set.Fragments.Where(f => f.Kind == FragmentKind.TrafficPolicy))
        {
            var policy = fragment.Root.Get("spec", "trafficPolicy") ?? fragment.Root.Get("trafficPolicy");
            if (policy is not null) yield return new TrafficPolicySite(fragment.File, policy, null, "trafficPolicy fragment");
        }
    }

    public static string? Host(KubeResource dr) => dr.Root.Str("spec", "host");

    public static bool IsWildcard(string host) => host.StartsWith('*');

    /// <summary>Istio host matching: "*" matches all, "*.suffix" matches names ending in ".suffix", else exact.</summary>
    public static bool HostMatches(string pattern, string host)
    {
        if (pattern == "*") return true;
        if (pattern.StartsWith("*.", StringComparison.Ordinal)) return host.EndsWith(pattern[1..], StringComparison.Ordinal);
        return string.Equals(pattern, host, StringComparison.Ordinal);
    }

    /// <summary>Fully qualifies a short Kubernetes host ("reviews") in the resource's namespace.</summary>
    public static string Qualify(string host, string? ns)
    {
        if (host.Contains('.') || IsWildcard(host)) return host;
        return $"{host}.{ns ?? LintConstants.WorkloadNamespace}.svc.cluster.local";
    }

    /// <summary>Namespace of a cluster-local service host (name.ns.svc.cluster.local), else null.</summary>
    public static string? ServiceNamespace(string host)
    {
        var parts = host.Split('.');
        return parts.Length >= 3 && parts[2] == "svc" ? parts[1] : null;
    }

    public static bool HasFailover(YamlNode? locality) =>
        locality.Seq("failover").Items().Any() || locality.Seq("failoverPriority").Items().Any();

    /// <summary>Whether a DestinationRule applies to traffic towards the topology's service.</summary>
    public static bool TargetsService(KubeResource dr, MeshTopology topology) =>
        Host(dr) is { } host && HostMatches(Qualify(host, dr.Namespace), topology.ServiceHost);
}
