using IndexForge.Resilience.Core.Results;
using ScottPlot;

namespace IndexForge.Resilience.Reports.Plots;

/// <summary>
/// Renders a run's plots as PNG: latency percentiles, throughput and error rate by class, traffic share per
/// replica and per region (stacked), and latency distributions where a scenario recorded them. Each time
/// plot shades fault windows, marks phase starts and timeline events (ejections, failover).
/// </summary>
public sealed class PlotRenderer
{
    public IReadOnlyList<RenderedPlot> Render(RunResult run)
    {
        var plots = new List<RenderedPlot>();
        for (var i = 0; i < run.Scenarios.Count; i++) plots.AddRange(Render(run.Scenarios[i], i));
        return plots;
    }

    public IReadOnlyList<RenderedPlot> Render(ScenarioResult s, int index)
    {
        var plots = new List<RenderedPlot>();
        if (s.Windows.Count > 0)
        {
            Add(plots, s, index, PlotKinds.Latency, "Latency percentiles",
                "p50, p95 and p99 per window, measured from the intended send time; fault windows shaded.", LatencyPlot.Build(s));
            Add(plots, s, index, PlotKinds.Throughput, "Throughput and error rate",
                "Completed and succeeded requests per second (left) and failed requests as a share of completed, by error class (right).", ThroughputPlot.Build(s));
            if (s.Windows.Any(w => w.ByReplica.Count > 0))
                Add(plots, s, index, PlotKinds.TrafficByReplica, "Traffic share per replica",
                    "Share of each window's requests served by each replica; a replica dropping to zero is an ejection or a kill.", TrafficSharePlot.Build(s, w => w.ByReplica, "replica"));
            if (s.Windows.Any(w => w.ByRegion.Count > 0))
                Add(plots, s, index, PlotKinds.TrafficByRegion, "Traffic share per region",
                    "Share of each window's requests served in each region; traffic moving to the other region is locality failover.", TrafficSharePlot.Build(s, w => w.ByRegion, "region"));
        }
        if (s.Distributions.Any(d => d.Points.Count > 0))
            Add(plots, s, index, PlotKinds.Distributions, "Latency distributions",
                "Latency by percentile for each recorded distribution (e.g. direct vs through the mesh).", DistributionPlot.Build(s));
        return plots;
    }

    private static void Add(List<RenderedPlot> plots, ScenarioResult s, int index, string kind, string title, string description, Plot plt)
    {
        using (plt)
        {
            var png = plt.GetImageBytes(PlotConstants.Width, PlotConstants.Height, ImageFormat.Png);
            var file = $"{index:00}-{ReportText.Slug(s.Name)}-{kind}.png";
            plots.Add(new RenderedPlot(index, s.Name, kind, title, description, file, png, PlotConstants.Width, PlotConstants.Height));
        }
    }
}
