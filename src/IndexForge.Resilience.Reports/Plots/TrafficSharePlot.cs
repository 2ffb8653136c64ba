using IndexForge.Resilience.Core.Results;
using ScottPlot;

namespace IndexForge.Resilience.Reports.Plots;

internal static class TrafficSharePlot
{
    public static Plot Build(ScenarioResult s, Func<WindowStats, IReadOnlyDictionary<string, long>> select, string what)
    {
        var plt = Timeline.NewPlot($"{s.Name}: traffic share per {what}", "share of requests (%)");
        Timeline.Decorate(plt, s);
        var xs = Timeline.Xs(s.Windows);
        var keys = s.Windows.SelectMany(w => select(w).Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var palette = new ScottPlot.Palettes.Category10();
        var lower = new double[s.Windows.Count];
        for (var k = 0; k < keys.Count; k++)
        {
            var upper = new double[s.Windows.Count];
            for (var i = 0; i < s.Windows.Count; i++)
            {
                var counts = select(s.Windows[i]);
                var total = counts.Values.Sum();
                upper[i] = lower[i] + (total == 0 ? 0 : 100.0 * counts.GetValueOrDefault(keys[k]) / total);
            }
            var fill = plt.Add.FillY(xs, (double[])lower.Clone(), upper);
            var color = palette.GetColor(k);
            fill.FillColor = color.WithAlpha(0.75);
            fill.LineColor = color;
            fill.LineWidth = 1;
            fill.LegendText = keys[k];
            lower = upper;
        }
        plt.Axes.SetLimitsY(0, 105);
        Timeline.Finish(plt, Timeline.End(s));
        return plt;
    }
}
