using IndexForge.Resilience.Core.Results;
using ScottPlot;

namespace IndexForge.Resilience.Reports.Plots;

internal static class LatencyPlot
{
    public static Plot Build(ScenarioResult s)
    {
        var plt = Timeline.NewPlot($"{s.Name}: latency percentiles", "latency (ms)");
        Timeline.Decorate(plt, s);
        // Windows with no completed request have no latency; leaving them out avoids a false drop to zero.
        var measured = s.Windows.Where(w => w.Latency.Count > 0).ToList();
        var xs = Timeline.Xs(measured);
        Series(plt, xs, measured.Select(w => w.Latency.P50), "p50", Colors.SteelBlue);
        Series(plt, xs, measured.Select(w => w.Latency.P95), "p95", Colors.DarkOrange);
        Series(plt, xs, measured.Select(w => w.Latency.P99), "p99", Colors.Crimson);
        plt.Axes.SetLimitsY(0, Math.Max(1, measured.Select(w => w.Latency.P99).DefaultIfEmpty(1).Max() * 1.1));
        Timeline.Finish(plt, Timeline.End(s));
        return plt;
    }

    private static void Series(Plot plt, double[] xs, IEnumerable<double> ys, string label, Color color)
    {
        var line = plt.Add.ScatterLine(xs, ys.ToArray(), color);
        line.LineWidth = 2;
        line.LegendText = label;
    }
}
