using IndexForge.Resilience.Mesh.Config;

namespace IndexForge.Resilience.Mesh.LoadBalancing;

/// <summary>
/// Istio's endpoint priorities and locality weights for one caller
/// (pilot/pkg/networking/core/loadbalancer/loadbalancer.go): the DestinationRule's localityLbSetting,
/// else the mesh default (enabled); distribute sets locality weights and drops unlisted localities;
/// failover applies only with outlier detection — priorities by failoverPriority labels and/or by
/// region/zone/sub-zone match (failover.to region next, other regions after), compacted to 0..N.
/// </summary>
public static class LocalityPlanner
{
    public static LocalityPlan Plan(IReadOnlyList<MeshEndpoint> endpoints, MeshLocality caller, IReadOnlyDictionary<string, string> callerLabels,
        LocalityLbSetting? fromDestinationRule, bool outlierDetection, bool meshLocalityLbEnabled = true)
    {
        var groups = endpoints.Select((e, i) => (Endpoint: e, Index: i)).GroupBy(x => x.Endpoint.Locality).ToArray();
        var setting = fromDestinationRule is not null
            ? (fromDestinationRule.Enabled == false ? null : fromDestinationRule)
            : meshLocalityLbEnabled ? new LocalityLbSetting { Enabled = true } : null;
        var priorities = new int[endpoints.Count];
        var weights = new double[endpoints.Count];
        for (var i = 0; i < endpoints.Count; i++) weights[i] = 1; // Istio weighs a locality by its endpoint count
        var localityIndex = endpoints.Select(e => Array.FindIndex(groups, g => g.Key == e.Locality)).ToArray();
        if (setting is null)
            return new LocalityPlan(priorities, weights, LocalityWeighted: false, Describe(endpoints, priorities, "locality load balancing disabled")) { LocalityIndex = localityIndex };

        var weighted = (outlierDetection && (setting.Failover.Count > 0 || setting.FailoverPriority.Count > 0)) || setting.Distribute.Count > 0;
        string how;
        if (setting.Distribute.Count > 0)
        {
            how = ApplyDistribute(groups, caller, setting.Distribute, weights);
        }
        else if (outlierDetection)
        {
            var labelled = setting.FailoverPriority.Count > 0 && callerLabels.Count > 0;
            if (labelled) ApplyFailoverPriority(endpoints, callerLabels, setting.FailoverPriority, priorities);
            if (!labelled || setting.Failover.Count > 0) ApplyLocalityFailover(endpoints, caller, setting.Failover, priorities);
            how = labelled ? "failoverPriority" : setting.Failover.Count > 0 ? "failover" : "default failover by region/zone";
        }
        else
        {
            how = "no outlierDetection, so no failover (Istio)";
        }
        return new LocalityPlan(priorities, weights, weighted, Describe(endpoints, priorities, how)) { LocalityIndex = localityIndex };
    }

    private static string ApplyDistribute(IGrouping<MeshLocality, (MeshEndpoint Endpoint, int Index)>[] groups, MeshLocality caller,
        IReadOnlyList<LocalityDistribute> distribute, double[] weights)
    {
        foreach (var rule in distribute)
        {
            if (!caller.Matches(rule.From)) continue;
            var unmatched = new HashSet<MeshLocality>(groups.Select(g => g.Key));
            foreach (var (pattern, weight) in rule.To)
            {
                var matched = groups.Where(g => unmatched.Contains(g.Key) && g.Key.Matches(pattern)).ToArray();
                double total = matched.Sum(g => g.Count());
                foreach (var g in matched)
                {
                    unmatched.Remove(g.Key);
                    var localityWeight = Math.Ceiling(g.Count() * (double)weight / total);
                    foreach (var (_, index) in g) weights[index] = localityWeight / g.Count();
                }
            }
            foreach (var g in groups.Where(g => unmatched.Contains(g.Key)))
                foreach (var (_, index) in g) weights[index] = 0; // Istio empties localities the rule does not list
            return $"distribute from {rule.From}";
        }
        return "distribute (no rule matches the caller's locality)";
    }

    private static void ApplyFailoverPriority(IReadOnlyList<MeshEndpoint> endpoints, IReadOnlyDictionary<string, string> callerLabels,
        IReadOnlyList<string> failoverPriority, int[] priorities)
    {
        var keys = failoverPriority.Select(p => p.Split('=', 2)).ToArray();
        for (var i = 0; i < endpoints.Count; i++)
        {
            var labels = endpoints[i].EffectiveLabels;
            var priority = 0;
            for (var j = 0; j < keys.Length; j++)
            {
                var expected = keys[j].Length == 2 ? keys[j][1] : callerLabels.GetValueOrDefault(keys[j][0]);
                if (expected != labels.GetValueOrDefault(keys[j][0]))
                {
                    priority = keys.Length - j;
                    break;
                }
            }
            priorities[i] = priority;
        }
        Compact(priorities);
    }

    private static void ApplyLocalityFailover(IReadOnlyList<MeshEndpoint> endpoints, MeshLocality caller, IReadOnlyList<LocalityFailover> failover, int[] priorities)
    {
        for (var i = 0; i < endpoints.Count; i++)
        {
            var ep = endpoints[i].Locality;
            var p = ep.Region != caller.Region ? 3 : ep.Zone != caller.Zone ? 2 : ep.SubZone != caller.SubZone ? 1 : 0;
            if (p == 3 && failover.FirstOrDefault(f => f.From == caller.Region) is { } rule && ep.Region != rule.To) p = 4;
            priorities[i] = priorities[i] * 5 + p;
        }
        Compact(priorities);
    }

    /// <summary>Priorities must run 0..N without gaps (Envoy).</summary>
    private static void Compact(int[] priorities)
    {
        var order = priorities.Distinct().Order().Select((p, rank) => (p, rank)).ToDictionary(x => x.p, x => x.rank);
        for (var i = 0; i < priorities.Length; i++) priorities[i] = order[priorities[i]];
    }

    private static string Describe(IReadOnlyList<MeshEndpoint> endpoints, int[] priorities, string how) =>
        how + ": " + string.Join(", ", endpoints.Select((e, i) => (e, p: priorities[i])).GroupBy(x => x.p).OrderBy(g => g.Key)
            .Select(g => $"P{g.Key}=[{string.Join(" ", g.Select(x => x.e.Id))}]"));
}

/// <summary>Per-endpoint priority and locality weight (weight 0: the endpoint gets no traffic), and whether localities are weighted.</summary>
public sealed record LocalityPlan(int[] Priorities, double[] Weights, bool LocalityWeighted, string Description)
{
    /// <summary>Index of each endpoint's locality (endpoints with the same region/zone/sub-zone share one).</summary>
    public int[] LocalityIndex { get; init; } = [];
}
