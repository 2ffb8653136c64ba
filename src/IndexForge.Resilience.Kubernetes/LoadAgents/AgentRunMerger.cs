using System.Globalization;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Load.Recording;
using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Kubernetes.LoadAgents;

/// <summary>
/// Merges every agent's report into one <see cref="LoadRun"/>, exactly: counters are summed window by
/// window, histograms are added bucket by bucket (<see cref="HistogramMerger"/>), so every figure the
/// runner and the assertions compute is the one a single generator of the whole schedule would give.
/// A missing, duplicated or inconsistent agent is an error, never a partial merge.
/// </summary>
public static class AgentRunMerger
{
    public static LoadRun Merge(IReadOnlyList<AgentResult> agents, int expectedAgents, LoadSpec spec)
    {
        ArgumentNullException.ThrowIfNull(agents);
        var problems = new List<string>();
        var byIndex = agents.GroupBy(a => a.Header.Agent).ToDictionary(g => g.Key, g => g.ToList());
        for (var i = 0; i < expectedAgents; i++)
        {
            if (!byIndex.TryGetValue(i, out var found)) problems.Add($"agent {i} reported nothing");
            else if (found.Count > 1) problems.Add($"agent {i} reported {found.Count} times ({string.Join(", ", found.Select(a => a.Agent))})");
        }
        foreach (var a in agents.Where(a => a.Header.Agent < 0 || a.Header.Agent >= expectedAgents || a.Header.Agents != expectedAgents))
            problems.Add($"{a.Agent} reports itself as agent {a.Header.Agent} of {a.Header.Agents}, expected one of {expectedAgents}");
        if (agents.Select(a => a.Header.OriginUnixMs).Distinct().Count() > 1)
            problems.Add($"agents logged against different origins ({string.Join(", ", agents.Select(a => $"{a.Agent}: {a.Header.OriginUnixMs}"))})");
        var grids = agents.Select(a => string.Join(',', a.Windows.Select(w => $"{w.Index}@{w.StartTicks}+{w.LengthTicks}"))).Distinct().ToList();
        if (grids.Count > 1)
            problems.Add("agents measured different windows (one was cut short?): " + string.Join("; ", agents.Select(a => $"{a.Agent}: {a.Windows.Count} windows")));
        if (problems.Count > 0) throw new AgentMergeException("load agents' results cannot be merged: " + string.Join("; ", problems));

        var histograms = HistogramMerger.Merge([.. agents.Select(a => a.Log)]);
        var merged = histograms.Windows.ToDictionary(w => w.Tag, w => w, StringComparer.Ordinal);
        var windows = new List<LoadWindow>();
        foreach (var template in agents[0].Windows.OrderBy(w => w.Index))
        {
            var w = new LoadWindow
            {
                Index = template.Index,
                Start = TimeSpan.FromTicks(template.StartTicks),
                Length = TimeSpan.FromTicks(template.LengthTicks),
                Phase = template.Phase,
            };
            foreach (var part in agents.Select(a => a.Windows.Single(x => x.Index == template.Index)))
            {
                w.Scheduled += part.Scheduled;
                w.Sent += part.Sent;
                w.Completed += part.Completed;
                w.Succeeded += part.Succeeded;
                w.Failed += part.Failed;
                w.Dropped += part.Dropped;
                foreach (var (k, v) in part.StatusCodes) Add(w.StatusCodes, int.Parse(k, CultureInfo.InvariantCulture), v);
                foreach (var (k, v) in part.Errors) Add(w.Errors, ErrorClassOf(k), v);
                foreach (var (k, v) in part.ByReplica) Add(w.ByReplica, k, v);
                foreach (var (k, v) in part.ByRegion) Add(w.ByRegion, k, v);
            }
            Fill(w.Latency, merged, AgentTags.Latency, w.Index, agents.Count);
            Fill(w.ServiceLatency, merged, AgentTags.ServiceLatency, w.Index, agents.Count);
            Fill(w.SchedulerLag, merged, AgentTags.SchedulerLag, w.Index, agents.Count);
            windows.Add(w);
        }
        var saturation = Saturation.Evaluate(windows);
        return new LoadRun
        {
            StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(agents[0].Header.OriginUnixMs),
            Windows = windows,
            Phases = [.. spec.Schedule().Select(s => new PhaseSpan(s.Phase.Name, s.Phase.Type, s.Start, s.Start + s.Phase.Length, s.Phase.Route))],
            Saturated = saturation is not null,
            SaturationReason = saturation,
            Cancelled = agents.Any(a => a.Header.Cancelled),
            LateResults = agents.Sum(a => a.Header.LateResults),
        };
    }

    private static void Fill(HdrHistogram.HistogramBase into, Dictionary<string, MergedWindow> merged, string kind, int index, int agents)
    {
        var tag = AgentReport.TagOf(kind, index);
        if (!merged.TryGetValue(tag, out var w) || w.Agents != agents)
            throw new AgentMergeException($"window {index}: {kind} histograms from {(w?.Agents ?? 0)} of {agents} agents");
        into.Add(w.Histogram);
        (into as CompactHistogram)?.Freeze();
    }

    private static void Add<TKey>(Dictionary<TKey, long> into, TKey key, long value) where TKey : notnull =>
        into[key] = into.GetValueOrDefault(key) + value;

    private static ErrorClass ErrorClassOf(string key) =>
        Enum.GetValues<ErrorClass>().FirstOrDefault(c => c.ToKey() == key) is var c && c.ToKey() == key
            ? c
            : throw new AgentMergeException($"unknown error class '{key}' in an agent's report");
}

public sealed class AgentMergeException(string message) : Exception(message);
