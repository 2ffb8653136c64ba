namespace IndexForge.Resilience.Mesh.LoadBalancing;

/// <summary>
/// Envoy's priority load (LoadBalancerBase::recalculatePerPriorityState / recalculatePerPriorityPanic):
/// integer health per priority = min(100, overprovisioning(140) × healthy / total); load is handed out
/// from P0 down, scaled by the normalized total health (capped at 100); rounding leftovers go to the
/// first healthy priority. Panic: never when the normalized total is 100; a priority whose healthy %
/// is below the threshold panics (uses all its hosts); when every priority panics, load follows host
/// counts. With threshold 0 and nothing healthy, P0 gets 100% and nothing is routed.
/// </summary>
public static class PriorityLoad
{
    /// <summary>Envoy's default overprovisioning factor, 1.4, as Envoy stores it (percent).</summary>
    public const int OverprovisioningFactor = 140;

    public static PriorityLoadResult Compute(IReadOnlyList<(int Healthy, int Total)> priorities, int panicThresholdPercent)
    {
        var n = priorities.Count;
        var health = new int[n];
        var load = new int[n];
        var panic = new bool[n];
        if (n == 0) return new(health, load, panic, 0);
        for (var i = 0; i < n; i++)
        {
            var (healthy, total) = priorities[i];
            health[i] = total == 0 ? 0 : (int)Math.Min(100L, (long)OverprovisioningFactor * healthy / total);
        }
        var normalizedTotal = (int)Math.Min(100L, health.Sum(h => (long)h));
        if (normalizedTotal > 0)
        {
            var remaining = 100;
            var first = -1;
            for (var i = 0; i < n; i++)
            {
                if (first < 0 && health[i] > 0) first = i;
                load[i] = Math.Min(remaining, health[i] * 100 / normalizedTotal);
                remaining -= load[i];
            }
            if (remaining != 0) load[first] += remaining;
        }

        var threshold = Math.Min(100, panicThresholdPercent);
        if (threshold == 0 && normalizedTotal == 0)
        {
            load[0] = 100;
            return new(health, load, panic, normalizedTotal);
        }
        var totalPanic = true;
        for (var i = 0; i < n; i++)
        {
            var (healthy, total) = priorities[i];
            var healthyPercent = total == 0 ? 0.0 : 100.0 * healthy / total;
            panic[i] = normalizedTotal != 100 && healthyPercent < threshold;
            totalPanic &= panic[i];
        }
        if (totalPanic)
        {
            var hosts = priorities.Sum(p => p.Total);
            Array.Clear(load);
            if (hosts == 0)
            {
                load[0] = 100;
            }
            else
            {
                var remaining = 100;
                var firstNonEmpty = -1;
                for (var i = 0; i < n; i++)
                {
                    if (firstNonEmpty < 0 && priorities[i].Total > 0) firstNonEmpty = i;
                    load[i] = 100 * priorities[i].Total / hosts;
                    remaining -= load[i];
                }
                load[firstNonEmpty] += remaining;
            }
        }
        return new(health, load, panic, normalizedTotal);
    }
}

/// <summary>Per-priority health (0–100), load (percent of requests, sums to 100), panic flags, and the normalized total health.</summary>
public sealed record PriorityLoadResult(int[] Health, int[] Load, bool[] Panic, int NormalizedTotalHealth)
{
    /// <summary>Envoy choosePriority: a draw in 1..100 against the cumulative loads.</summary>
    public int Choose(int draw1To100)
    {
        var aggregate = 0;
        for (var p = 0; p < Load.Length; p++)
        {
            aggregate += Load[p];
            if (draw1To100 <= aggregate) return p;
        }
        return Load.Length - 1;
    }

    public string Describe() => string.Join(" ", Load.Select((l, i) => $"P{i}={l}%{(Panic[i] ? " (panic)" : "")}"));
}
