using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Reports.Plots;

/// <summary>Writes each plot as a PNG under plots/ (the HTML report embeds the same images).</summary>
public sealed class PlotsWriter(Func<RunResult, IReadOnlyList<RenderedPlot>>? render = null) : IReportWriter
{
    private readonly Func<RunResult, IReadOnlyList<RenderedPlot>> _render = render ?? new PlotRenderer().Render;

    public string Name => ReportFormats.Plots;

    public IReadOnlyList<string> Write(RunResult run, string directory)
    {
        var dir = Path.Combine(directory, ReportConstants.PlotsDirectory);
        return _render(run).Select(p => ReportFile.WriteBytes(dir, p.FileName, p.Png)).ToList();
    }
}
