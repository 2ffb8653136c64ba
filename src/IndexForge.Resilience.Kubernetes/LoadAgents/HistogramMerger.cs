using HdrHistogram;
using IndexForge.Resilience.Core.Load;

namespace IndexForge.Resilience.Kubernetes.LoadAgents;

/// <summary>
/// Merges the agents' histograms exactly: counts are added bucket by bucket (HdrHistogram's Add),
/// so a merged p99 is the p99 of every request of every agent — never an average of per-agent
/// percentiles, which is wrong whenever agents saw different loads.
/// </summary>
public static class HistogramMerger
{
    public static MergedLoad Merge(IReadOnlyList<AgentLog> agents)
    {
        if (agents.Count == 0) throw new ArgumentException("no agent output to merge", nameof(agents));
        var origins = agents.Select(a => a.Origin).Distinct().ToList();
        if (origins.Count > 1)
            throw new InvalidOperationException($"agents logged against different origins ({string.Join(", ", origins)}); their windows cannot be aligned");
        var windows = new SortedDictionary<(string Tag, TimeSpan Start), (TimeSpan Length, HistogramBase Histogram, int Agents)>();
        var totals = new SortedDictionary<string, HistogramBase>(StringComparer.Ordinal);
        foreach (var agent in agents)
        {
            foreach (var w in agent.Windows)
            {
                var key = (w.Tag, w.Start);
                if (!windows.TryGetValue(key, out var slot))
                {
                    slot = (w.Length, LoadHistograms.Create(), 0);
                }
                else if (slot.Length != w.Length)
                {
                    throw new InvalidOperationException($"agent {agent.Agent}: window {w.Tag}@{w.Start} is {w.Length} long, others {slot.Length}");
                }
                slot.Histogram.Add(w.Histogram);
                windows[key] = (slot.Length, slot.Histogram, slot.Agents + 1);
                if (!totals.TryGetValue(w.Tag, out var total)) totals[w.Tag] = total = LoadHistograms.Create();
                total.Add(w.Histogram);
            }
        }
        return new MergedLoad(
            agents.Count,
            windows.Select(kv => new MergedWindow(kv.Key.Tag, kv.Key.Start, kv.Value.Length, kv.Value.Histogram, kv.Value.Agents)).ToList(),
            totals);
    }
}

public sealed record MergedWindow(string Tag, TimeSpan Start, TimeSpan Length, HistogramBase Histogram, int Agents);

public sealed record MergedLoad(int Agents, IReadOnlyList<MergedWindow> Windows, IReadOnlyDictionary<string, HistogramBase> Totals)
{
    public IEnumerable<MergedWindow> Tagged(string tag) => Windows.Where(w => w.Tag == tag);
}

public static class AgentTags
{
    public const string Latency = "latency";
    public const string ServiceLatency = "service-latency";
    public const string SchedulerLag = "scheduler-lag";
}
