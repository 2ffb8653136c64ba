using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Core.Targets;
using ScottPlot;

namespace IndexForge.Resilience.Reports.Plots;

/// <summary>What every time plot shares: the time axis, fault windows shaded, phases and events marked.</summary>
internal static class Timeline
{
    private static readonly Color[] FaultColors = [Colors.OrangeRed, Colors.Orange, Colors.MediumPurple, Colors.Teal, Colors.SaddleBrown];

    public static Plot NewPlot(string title, string yLabel)
    {
        var plt = new Plot();
        plt.Font.Set(PlotConstants.FontName);
        plt.Title(title);
        plt.XLabel(PlotConstants.TimeAxisLabel);
        plt.YLabel(yLabel);
        return plt;
    }

    /// <summary>X of each window: its middle, in seconds since load start.</summary>
    public static double[] Xs(IReadOnlyList<WindowStats> windows) =>
        windows.Select(w => (w.Start + w.Length / 2).TotalSeconds).ToArray();

    public static double End(ScenarioResult s) =>
        s.Windows.Count > 0 ? (s.Windows[^1].Start + s.Windows[^1].Length).TotalSeconds : s.Duration.TotalSeconds;

    /// <summary>Shades each fault's window, marks phase starts and timeline events; call before the data series so they sit behind.</summary>
    public static void Decorate(Plot plt, ScenarioResult s)
    {
        var end = End(s);
        for (var i = 0; i < s.Faults.Count; i++)
        {
            var f = s.Faults[i];
            var span = plt.Add.HorizontalSpan(f.Start.TotalSeconds, (f.End?.TotalSeconds ?? end), FaultColors[i % FaultColors.Length].WithAlpha(PlotConstants.FaultShadeAlpha));
            span.LegendText = $"fault: {f.Name}";
            span.LineWidth = 0;
        }
        foreach (var p in s.Phases.Skip(1))
        {
            var line = plt.Add.VerticalLine(p.Start.TotalSeconds, 1, Colors.DimGray, LinePattern.Dashed);
            line.Text = p.Name;
            line.LabelOppositeAxis = true;
            line.LabelFontSize = 11;
            line.ExcludeFromLegend = true;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in s.Events.Take(PlotConstants.MaxEventLines))
        {
            var line = plt.Add.VerticalLine(e.At.TotalSeconds, 1.5f, EventColor(e.Kind), e.Kind == TargetEventKinds.Ejected ? LinePattern.Solid : LinePattern.Dotted);
            if (seen.Add(e.Kind)) line.LegendText = e.Kind;
            else line.ExcludeFromLegend = true;
        }
    }

    public static Color EventColor(string kind) => kind switch
    {
        TargetEventKinds.Ejected => Colors.Red,
        TargetEventKinds.Unejected => Colors.ForestGreen,
        TargetEventKinds.EjectionOverflow => Colors.DarkOrange,
        TargetEventKinds.Failover => Colors.DarkViolet,
        TargetEventKinds.ReplicaStopped => Colors.Black,
        TargetEventKinds.ReplicaStarted => Colors.SteelBlue,
        _ => Colors.Gray,
    };

    public static void Finish(Plot plt, double end)
    {
        plt.Axes.SetLimitsX(0, Math.Max(end, 1));
        plt.ShowLegend(Edge.Right);
    }
}
