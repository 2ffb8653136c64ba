using HdrHistogram;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Kubernetes.LoadAgents;
using Xunit;

namespace IndexForge.Resilience.Kubernetes.Tests.LoadAgents;

public sealed class HistogramMergerTests
{
    private static readonly DateTimeOffset Origin = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Agent output as it travels: progress text around the histogram block.</summary>
    private static string AgentOutput(params (TimeSpan Start, long[] Micros)[] windows)
    {
        var w = new StringWriter();
        w.WriteLine("agent 0: 200 req/s for 10s");
        AgentHistogramLog.Write(w, Origin, windows.Select(x =>
        {
            var h = LoadHistograms.Create();
            foreach (var v in x.Micros) h.RecordValue(v);
            return new AgentWindow(AgentTags.Latency, x.Start, TimeSpan.FromSeconds(1), h);
        }));
        w.WriteLine("agent 0: done");
        return w.ToString();
    }

    [Fact]
    public void Merge_TwoAgentsDifferentLoads_EqualsOneHistogramOfEveryValue()
    {
        var rng = new Random(42);
        // A fast agent with many requests and a slow one with few: averaging their p99s is badly wrong here.
        var fast = Enumerable.Range(0, 5000).Select(_ => (long)rng.Next(1_000, 3_000)).ToArray();
        var slow = Enumerable.Range(0, 200).Select(_ => (long)rng.Next(200_000, 400_000)).ToArray();
        var a = AgentHistogramLog.Parse(AgentOutput((TimeSpan.Zero, fast)), "a");
        var b = AgentHistogramLog.Parse(AgentOutput((TimeSpan.Zero, slow)), "b");

        var merged = HistogramMerger.Merge([a, b]).Totals[AgentTags.Latency];

        var direct = LoadHistograms.Create();
        foreach (var v in fast.Concat(slow)) direct.RecordValue(v);
        Assert.Equal(direct.TotalCount, merged.TotalCount);
        foreach (var p in new[] { 0.0, 50, 90, 95, 99, 99.9, 100 })
            Assert.Equal(direct.GetValueAtPercentile(p), merged.GetValueAtPercentile(p));
        Assert.Equal(direct.GetMaxValue(), merged.GetMaxValue());

        // Negative control: the average of per-agent p99s is far from the true p99.
        var averaged = (a.Windows[0].Histogram.GetValueAtPercentile(99) + b.Windows[0].Histogram.GetValueAtPercentile(99)) / 2;
        Assert.True(Math.Abs(averaged - merged.GetValueAtPercentile(99)) > 50_000);
    }

    [Fact]
    public void Merge_PerWindow_AlignsByOffsetFromSharedOrigin()
    {
        var a = AgentHistogramLog.Parse(AgentOutput((TimeSpan.Zero, [1000, 2000]), (TimeSpan.FromSeconds(1), [5000])), "a");
        var b = AgentHistogramLog.Parse(AgentOutput((TimeSpan.FromSeconds(1), [7000, 9000])), "b");

        var merged = HistogramMerger.Merge([a, b]);

        var windows = merged.Tagged(AgentTags.Latency).ToList();
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1)], windows.Select(w => w.Start));
        Assert.Equal([2L, 3L], windows.Select(w => w.Histogram.TotalCount));
        Assert.Equal([1, 2], windows.Select(w => w.Agents));
        Assert.Equal(9000, windows[1].Histogram.GetMaxValue(), 9000 / 1000.0 * 1.0); // within HdrHistogram's 3-digit precision
        Assert.Equal(5L, merged.Totals[AgentTags.Latency].TotalCount);
    }

    [Fact]
    public void Parse_RoundTrip_KeepsTagTimesAndCounts()
    {
        var log = AgentHistogramLog.Parse(AgentOutput((TimeSpan.FromSeconds(3), [1234, 5678, 91011])), "x");
        Assert.Equal(Origin, log.Origin);
        var w = Assert.Single(log.Windows);
        Assert.Equal((AgentTags.Latency, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), 3L), (w.Tag, w.Start, w.Length, w.Histogram.TotalCount));
    }

    [Fact]
    public void Parse_CutShortOutput_Throws()
    {
        var output = AgentOutput((TimeSpan.Zero, [1000]));
        var cut = output[..output.IndexOf(AgentHistogramLog.End, StringComparison.Ordinal)];
        Assert.Throws<FormatException>(() => AgentHistogramLog.Parse(cut, "x"));
    }

    [Fact]
    public void Merge_DifferentOrigins_Refused()
    {
        var a = AgentHistogramLog.Parse(AgentOutput((TimeSpan.Zero, [1000])), "a");
        var b = a with { Origin = Origin.AddSeconds(1) };
        Assert.Throws<InvalidOperationException>(() => HistogramMerger.Merge([a, b]));
    }
}
