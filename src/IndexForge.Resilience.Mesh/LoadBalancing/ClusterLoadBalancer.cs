using IndexForge.Resilience.Mesh.Config;

namespace IndexForge.Resilience.Mesh.LoadBalancing;

/// <summary>
/// Picks the upstream host for each request the way Envoy's zone-aware load balancers do: a priority
/// by the priority load, then (with locality weighting) a locality by weight × min(1, 1.4 × healthy
/// share), then a host by the policy among the healthy hosts — or all hosts of a priority in panic.
/// Reads an immutable snapshot (rebuilt only when health changes), so picking takes no lock.
/// </summary>
public sealed class ClusterLoadBalancer
{
    private readonly LocalityPlan _plan;
    private readonly int _hostCount;
    private readonly int _panicThreshold;
    private readonly MeshRandom _random;
    private readonly int[] _activeRequests;
    private readonly int[] _roundRobin;
    private Snapshot _snapshot;

    public ClusterLoadBalancer(LocalityPlan plan, LbPolicy policy, int panicThresholdPercent, MeshRandom random)
    {
        _plan = plan;
        _hostCount = plan.Priorities.Length;
        Policy = policy;
        _panicThreshold = panicThresholdPercent;
        _random = random;
        _activeRequests = new int[_hostCount];
        _roundRobin = new int[Math.Max(1, _hostCount) * 3 + 8];
        _snapshot = Build(new bool[_hostCount]);
    }

    public LbPolicy Policy { get; }
    public PriorityLoadResult PriorityLoad => Volatile.Read(ref _snapshot).Load;

    /// <summary>Hosts that can receive traffic (locality weight above zero); a distribute rule drops the others from the cluster.</summary>
    public bool IsMember(int host) => _plan.Weights[host] > 0;

    /// <summary>Rebuilds the snapshot from the hosts' outlier state; returns the new priority load.</summary>
    public PriorityLoadResult UpdateHealth(Func<int, bool> isEjected)
    {
        var ejected = new bool[_hostCount];
        for (var i = 0; i < _hostCount; i++) ejected[i] = isEjected(i);
        var next = Build(ejected);
        Volatile.Write(ref _snapshot, next);
        return next.Load;
    }

    public void RequestStarted(int host) => Interlocked.Increment(ref _activeRequests[host]);
    public void RequestEnded(int host) => Interlocked.Decrement(ref _activeRequests[host]);
    public int ActiveRequests(int host) => Volatile.Read(ref _activeRequests[host]);

    /// <summary>
    /// A host for the next attempt, or -1 when no host can be chosen (Envoy: "no healthy upstream").
    /// With <paramref name="attempted"/>, Envoy's previous_hosts predicate re-picks up to
    /// <paramref name="maxSelectionAttempts"/> times before settling for an already tried host.
    /// </summary>
    public int Choose(ulong attempted = 0, int maxSelectionAttempts = 1)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        var host = -1;
        for (var i = 0; i < Math.Max(1, maxSelectionAttempts); i++)
        {
            host = ChooseOnce(snapshot);
            if (host < 0 || attempted == 0 || host >= 64 || (attempted & (1UL << host)) == 0) return host;
        }
        return host;
    }

    private int ChooseOnce(Snapshot s)
    {
        if (s.Priorities.Length == 0) return -1;
        var p = s.Load.Choose(_random.Next(100) + 1);
        var set = s.Priorities[p];
        Source source;
        if (s.Load.Panic[p]) source = set.All;
        else if (_plan.LocalityWeighted)
        {
            if (set.LocalityWeightSum <= 0) return -1;
            var draw = _random.NextDouble() * set.LocalityWeightSum;
            source = set.Localities[^1];
            for (var i = 0; i < set.Localities.Length; i++)
            {
                draw -= set.LocalityWeights[i];
                if (draw < 0) { source = set.Localities[i]; break; }
            }
        }
        else source = set.Healthy;
        return Pick(source);
    }

    private int Pick(Source source)
    {
        var hosts = source.Hosts;
        switch (hosts.Length)
        {
            case 0: return -1;
            case 1: return hosts[0];
        }
        switch (Policy)
        {
            case LbPolicy.RoundRobin:
                var n = Interlocked.Increment(ref _roundRobin[source.Id]);
                return hosts[(int)((uint)n % (uint)hosts.Length)];
            case LbPolicy.Random:
                return hosts[_random.Next(hosts.Length)];
            default:
                // Envoy LEAST_REQUEST with equal weights: the better of two random choices (choice_count 2).
                var a = hosts[_random.Next(hosts.Length)];
                var b = hosts[_random.Next(hosts.Length)];
                return ActiveRequests(b) < ActiveRequests(a) ? b : a;
        }
    }

    private Snapshot Build(bool[] ejected)
    {
        var ids = 0;
        var members = Enumerable.Range(0, _hostCount).Where(IsMember).ToArray();
        var priorities = members.Select(h => _plan.Priorities[h]).Distinct().Order().ToArray();
        var sets = new PrioritySet[priorities.Length];
        var counts = new (int Healthy, int Total)[priorities.Length];
        for (var pi = 0; pi < priorities.Length; pi++)
        {
            var hosts = members.Where(h => _plan.Priorities[h] == priorities[pi]).ToArray();
            var healthy = hosts.Where(h => !ejected[h]).ToArray();
            counts[pi] = (healthy.Length, hosts.Length);
            var localities = new List<Source>();
            var weights = new List<double>();
            if (_plan.LocalityWeighted)
            {
                foreach (var group in hosts.GroupBy(h => LocalityKey(h)))
                {
                    var all = group.ToArray();
                    var ok = all.Where(h => !ejected[h]).ToArray();
                    var weight = all.Sum(h => _plan.Weights[h]);
                    var availability = Math.Min(1.0, LoadBalancing.PriorityLoad.OverprovisioningFactor / 100.0 * ok.Length / all.Length);
                    localities.Add(new Source(ids++, ok));
                    weights.Add(weight * availability);
                }
            }
            sets[pi] = new PrioritySet(new Source(ids++, hosts), new Source(ids++, healthy), localities.ToArray(), weights.ToArray());
        }
        var load = LoadBalancing.PriorityLoad.Compute(counts, _panicThreshold);
        if (ids > _roundRobin.Length) throw new InvalidOperationException("round-robin state too small");
        return new Snapshot(sets, load);
    }

    private int LocalityKey(int host) => _plan.LocalityIndex.Length > host ? _plan.LocalityIndex[host] : 0;

    private sealed record Source(int Id, int[] Hosts);

    private sealed record PrioritySet(Source All, Source Healthy, Source[] Localities, double[] LocalityWeights)
    {
        public double LocalityWeightSum { get; } = LocalityWeights.Sum();
    }

    private sealed record Snapshot(PrioritySet[] Priorities, PriorityLoadResult Load);
}

/// <summary>Envoy lb_policy as Istio sets it from loadBalancer.simple (UNSPECIFIED and LEAST_CONN: LEAST_REQUEST).</summary>
public enum LbPolicy { LeastRequest, RoundRobin, Random }

public static class LbPolicies
{
    public static LbPolicy FromIstio(LoadBalancerSettings? lb) => lb?.Simple switch
    {
        SimpleLb.RoundRobin => LbPolicy.RoundRobin,
        SimpleLb.Random => LbPolicy.Random,
        _ => LbPolicy.LeastRequest,
    };
}
