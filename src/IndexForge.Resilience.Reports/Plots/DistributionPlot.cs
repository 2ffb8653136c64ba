using IndexForge.Resilience.Core.Results;
using ScottPlot;

namespace IndexForge.Resilience.Reports.Plots;

/// <summary>Latency by percentile on an HdrHistogram-style axis (50%, 90%, 99%, 99.9% equally spaced) so tails are visible.</summary>
internal static class DistributionPlot
{
    private const double MaxPercentile = 99.9999;

    public static Plot Build(ScenarioResult s)
    {
        var plt = new Plot();
        plt.Font.Set(PlotConstants.FontName);
        plt.Title($"{s.Name}: latency distributions");
        plt.XLabel("percentile");
        plt.YLabel("latency (ms)");
        var palette = new ScottPlot.Palettes.Category10();
        var i = 0;
        var maxX = 2.0;
        foreach (var d in s.Distributions.Where(d => d.Points.Count > 0))
        {
            var points = d.Points.OrderBy(p => p.Percentile).ToList();
            var xs = points.Select(p => X(p.Percentile)).ToArray();
            maxX = Math.Max(maxX, xs.Max());
            var line = plt.Add.ScatterLine(xs, points.Select(p => p.Milliseconds).ToArray(), palette.GetColor(i++));
            line.LineWidth = 2;
            line.LegendText = d.Name;
        }
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var (p, label) in new[] { (0.0, "0%"), (50.0, "50%"), (90.0, "90%"), (99.0, "99%"), (99.9, "99.9%"), (99.99, "99.99%"), (99.999, "99.999%") })
            if (X(p) <= maxX + 0.01) ticks.AddMajor(X(p), label);
        plt.Axes.Bottom.TickGenerator = ticks;
        plt.Axes.SetLimitsX(0, maxX);
        plt.ShowLegend(Edge.Right);
        return plt;
    }

    private static double X(double percentile) => -Math.Log10(1 - Math.Min(percentile, MaxPercentile) / 100.0);
}
