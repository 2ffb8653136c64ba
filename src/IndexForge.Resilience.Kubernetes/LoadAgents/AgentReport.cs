using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using HdrHistogram;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Load.Recording;

namespace IndexForge.Resilience.Kubernetes.LoadAgents;

/// <summary>
/// Everything one load agent measured, as it prints it on stdout and the harness reads it back from
/// the pod's log: a JSON-lines block (a header, then one line per window with every counter) between
/// marker lines, followed by an <see cref="AgentHistogramLog"/> block with the window's three
/// histograms tagged <c>latency/&lt;window&gt;</c>, <c>service-latency/&lt;window&gt;</c>,
/// <c>scheduler-lag/&lt;window&gt;</c>. Text outside the markers (progress) is ignored. Window indices
/// and offsets are those of the shared schedule, so equal indices are the same window on every agent.
/// </summary>
public static class AgentReport
{
    public const string Begin = "--- indexforge-agent windows begin ---";
    public const string End = "--- indexforge-agent windows end ---";
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static void Write(TextWriter writer, int agent, int agents, DateTimeOffset origin, LoadRun run)
    {
        writer.WriteLine(Begin);
        writer.WriteLine(JsonSerializer.Serialize(new AgentHeader
        {
            Version = FormatVersion,
            Agent = agent,
            Agents = agents,
            OriginUnixMs = origin.ToUnixTimeMilliseconds(),
            Windows = run.Windows.Count,
            Cancelled = run.Cancelled,
            LateResults = run.LateResults,
        }, Json));
        foreach (var w in run.Windows)
        {
            writer.WriteLine(JsonSerializer.Serialize(new AgentWindowCounts
            {
                Index = w.Index,
                StartTicks = w.Start.Ticks,
                LengthTicks = w.Length.Ticks,
                Phase = w.Phase,
                Scheduled = w.Scheduled, Sent = w.Sent, Completed = w.Completed, Succeeded = w.Succeeded, Failed = w.Failed, Dropped = w.Dropped,
                StatusCodes = w.StatusCodes.ToDictionary(kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => kv.Value),
                Errors = w.Errors.ToDictionary(kv => kv.Key.ToKey(), kv => kv.Value),
                ByReplica = new Dictionary<string, long>(w.ByReplica),
                ByRegion = new Dictionary<string, long>(w.ByRegion),
            }, Json));
        }
        writer.WriteLine(End);
        AgentHistogramLog.Write(writer, origin, run.Windows.SelectMany(w => new[]
        {
            Tagged(AgentTags.Latency, w, w.Latency),
            Tagged(AgentTags.ServiceLatency, w, w.ServiceLatency),
            Tagged(AgentTags.SchedulerLag, w, w.SchedulerLag),
        }));
    }

    private static AgentWindow Tagged(string kind, LoadWindow w, HistogramBase h)
    {
        // The log writer copies its histograms; a dense copy of the packed window histogram is what it can encode.
        var dense = LoadHistograms.Create();
        dense.Add(h);
        return new AgentWindow(TagOf(kind, w.Index), w.Start, w.Length, dense);
    }

    public static string TagOf(string kind, int window) => $"{kind}/{window.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Reads an agent's output; throws <see cref="FormatException"/> naming the agent when anything is missing or inconsistent.</summary>
    public static AgentResult Parse(string output, string agent)
    {
        var begin = output.IndexOf(Begin, StringComparison.Ordinal);
        var end = output.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
            throw new FormatException($"agent {agent}: no complete window block in its output (did it finish?)");
        var lines = output[(begin + Begin.Length)..end].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0) throw new FormatException($"agent {agent}: the window block is empty");
        AgentHeader header;
        List<AgentWindowCounts> counts;
        try
        {
            header = JsonSerializer.Deserialize<AgentHeader>(lines[0], Json) ?? throw new FormatException("no header");
            counts = lines.Skip(1).Select(l => JsonSerializer.Deserialize<AgentWindowCounts>(l, Json) ?? throw new FormatException("empty window line")).ToList();
        }
        catch (JsonException e)
        {
            throw new FormatException($"agent {agent}: unreadable window block: {e.Message}", e);
        }
        if (header.Version != FormatVersion) throw new FormatException($"agent {agent}: report format {header.Version}, this harness reads {FormatVersion}");
        if (counts.Count != header.Windows) throw new FormatException($"agent {agent}: {counts.Count} window lines, its header says {header.Windows} (output cut short?)");
        var log = AgentHistogramLog.Parse(output[end..], agent);
        var origin = DateTimeOffset.FromUnixTimeMilliseconds(header.OriginUnixMs);
        // The histogram log keeps its start time as fractional seconds, so it comes back within a millisecond.
        if ((log.Origin - origin).Duration() >= TimeSpan.FromMilliseconds(1)) throw new FormatException($"agent {agent}: histogram origin {log.Origin:O} differs from its header's {origin:O}");
        var histograms = log.Windows.ToDictionary(w => w.Tag, w => w.Histogram, StringComparer.Ordinal);
        foreach (var c in counts)
        {
            foreach (var kind in new[] { AgentTags.Latency, AgentTags.ServiceLatency, AgentTags.SchedulerLag })
            {
                if (!histograms.ContainsKey(TagOf(kind, c.Index))) throw new FormatException($"agent {agent}: window {c.Index} has no {kind} histogram");
            }
        }
        return new AgentResult(agent, header, counts, log, histograms);
    }
}

public sealed record AgentHeader
{
    public int Version { get; init; }
    public int Agent { get; init; }
    public int Agents { get; init; }
    public long OriginUnixMs { get; init; }
    public int Windows { get; init; }
    public bool Cancelled { get; init; }
    public long LateResults { get; init; }
}

public sealed record AgentWindowCounts
{
    public int Index { get; init; }
    public long StartTicks { get; init; }
    public long LengthTicks { get; init; }
    public string? Phase { get; init; }
    public long Scheduled { get; init; }
    public long Sent { get; init; }
    public long Completed { get; init; }
    public long Succeeded { get; init; }
    public long Failed { get; init; }
    public long Dropped { get; init; }
    public Dictionary<string, long> StatusCodes { get; init; } = [];
    public Dictionary<string, long> Errors { get; init; } = [];
    public Dictionary<string, long> ByReplica { get; init; } = [];
    public Dictionary<string, long> ByRegion { get; init; } = [];
}

/// <summary>One agent's parsed report: header, counters per window, and its histograms by tag.</summary>
public sealed record AgentResult(
    string Agent, AgentHeader Header, IReadOnlyList<AgentWindowCounts> Windows, AgentLog Log, IReadOnlyDictionary<string, HistogramBase> Histograms);
