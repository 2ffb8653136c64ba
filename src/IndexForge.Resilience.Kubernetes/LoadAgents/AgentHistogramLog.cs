using System.Text;
using HdrHistogram;

namespace IndexForge.Resilience.Kubernetes.LoadAgents;

/// <summary>
/// What a load agent prints and the harness reads back: an HdrHistogram interval log (histograms
/// compressed and base64-encoded, as HdrHistogram's own log format does) between two marker lines,
/// so progress output around it does no harm. Every agent of a run logs against the same origin
/// (the Job's shared start time), so equal offsets are the same window on every agent.
/// </summary>
public static class AgentHistogramLog
{
    public const string Begin = "--- indexforge-agent histograms begin ---";
    public const string End = "--- indexforge-agent histograms end ---";

    /// <summary>Writes the windows' histograms (tag = what was measured, e.g. latency) against <paramref name="origin"/>.</summary>
    public static void Write(TextWriter writer, DateTimeOffset origin, IEnumerable<AgentWindow> windows)
    {
        using var buffer = new MemoryStream();
        var list = windows.Select(w =>
        {
            var h = w.Histogram.Copy();
            h.Tag = w.Tag;
            h.StartTimeStamp = (origin + w.Start).ToUnixTimeMilliseconds();
            h.EndTimeStamp = (origin + w.Start + w.Length).ToUnixTimeMilliseconds();
            return h;
        }).ToArray();
        using (var log = new HistogramLogWriter(buffer)) log.Write(origin.UtcDateTime, list);
        writer.WriteLine(Begin);
        // The log writer picks its own encoding (with a byte-order mark); the text is what travels.
        using (var reader = new StreamReader(new MemoryStream(buffer.ToArray()), detectEncodingFromByteOrderMarks: true))
            writer.Write(reader.ReadToEnd().TrimEnd());
        writer.WriteLine();
        writer.WriteLine(End);
    }

    /// <summary>Reads the block out of an agent's output; throws when the block is missing or cut short.</summary>
    public static AgentLog Parse(string output, string agent)
    {
        var begin = output.IndexOf(Begin, StringComparison.Ordinal);
        var end = output.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
            throw new FormatException($"agent {agent}: no complete histogram block in its output (did it finish?)");
        var text = output[(begin + Begin.Length)..end].Trim('\r', '\n');
        using var reader = new HistogramLogReader(new MemoryStream(Encoding.UTF8.GetBytes(text + "\n")));
        var histograms = reader.ReadHistograms().ToList();
        var origin = new DateTimeOffset(DateTime.SpecifyKind(reader.GetStartTime(), DateTimeKind.Utc));
        var windows = histograms.Select(h => new AgentWindow(
                h.Tag ?? "",
                DateTimeOffset.FromUnixTimeMilliseconds(h.StartTimeStamp) - origin,
                TimeSpan.FromMilliseconds(h.EndTimeStamp - h.StartTimeStamp),
                h))
            .ToList();
        return new AgentLog(agent, origin, windows);
    }
}

/// <summary>One measured window of one agent: what (tag), when (offset from the shared origin), and the histogram in microseconds.</summary>
public sealed record AgentWindow(string Tag, TimeSpan Start, TimeSpan Length, HistogramBase Histogram);

public sealed record AgentLog(string Agent, DateTimeOffset Origin, IReadOnlyList<AgentWindow> Windows);
