using IndexForge.Resilience.Core.Results;
using ScottPlot;

namespace IndexForge.Resilience.Reports.Plots;

internal static class ThroughputPlot
{
    private static readonly Color[] ErrorColors =
        [Colors.Crimson, Colors.DarkOrange, Colors.Purple, Colors.Brown, Colors.DeepPink, Colors.Olive, Colors.Maroon, Colors.SlateGray];

    public static Plot Build(ScenarioResult s)
    {
        var plt = Timeline.NewPlot($"{s.Name}: throughput and error rate", "requests per second");
        Timeline.Decorate(plt, s);
        var xs = Timeline.Xs(s.Windows);
        // Error rate by class, stacked on the right axis so a small rate stays visible next to a large throughput.
        var classes = s.Windows.SelectMany(w => w.Errors.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var lower = new double[s.Windows.Count];
        for (var c = 0; c < classes.Count; c++)
        {
            var upper = new double[s.Windows.Count];
            for (var i = 0; i < s.Windows.Count; i++)
            {
                var w = s.Windows[i];
                var share = w.Completed == 0 ? 0 : 100.0 * w.Errors.GetValueOrDefault(classes[c]) / w.Completed;
                upper[i] = lower[i] + share;
            }
            var fill = plt.Add.FillY(xs, (double[])lower.Clone(), upper);
            fill.FillColor = ErrorColors[c % ErrorColors.Length].WithAlpha(0.45);
            fill.LineWidth = 0;
            fill.LegendText = $"errors: {classes[c]} (%)";
            fill.Axes.YAxis = plt.Axes.Right;
            lower = upper;
        }
        // Lines after the fills so the throughput stays visible over a high error rate.
        var completed = plt.Add.ScatterLine(xs, s.Windows.Select(w => PerSecond(w.Completed, w)).ToArray(), Colors.SteelBlue);
        completed.LegendText = "completed/s";
        completed.LineWidth = 2;
        var succeeded = plt.Add.ScatterLine(xs, s.Windows.Select(w => PerSecond(w.Succeeded, w)).ToArray(), Colors.ForestGreen);
        succeeded.LegendText = "succeeded/s";
        succeeded.LineWidth = 2;
        succeeded.LinePattern = LinePattern.Dashed;
        plt.Axes.Right.Label.Text = "error rate (% of completed)";
        plt.Axes.SetLimitsY(0, Math.Max(1, lower.DefaultIfEmpty(0).Max() * 1.15), plt.Axes.Right);
        plt.Axes.SetLimitsY(0, Math.Max(1, s.Windows.Select(w => PerSecond(w.Completed, w)).DefaultIfEmpty(1).Max() * 1.15));
        Timeline.Finish(plt, Timeline.End(s));
        return plt;
    }

    private static double PerSecond(long count, WindowStats w) => w.Length > TimeSpan.Zero ? count / w.Length.TotalSeconds : 0;
}
