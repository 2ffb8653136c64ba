using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Reports.Redaction;

namespace IndexForge.Resilience.Reports.Plots;

/// <summary>Writes each plot as a PNG under plots/ (the HTML report embeds the same images).</summary>
public sealed class PlotsWriter(Func<RunResult, IReadOnlyList<RenderedPlot>>? render = null, SecretRedactor? redactor = null) : IReportWriter
{
    private readonly SecretRedactor _redactor = redactor ?? SecretRedactor.Default;
    private readonly Func<RunResult, IReadOnlyList<RenderedPlot>> _render = render ?? new PlotRenderer().Render;

    public string Name => ReportFormats.Plots;

    public IReadOnlyList<string> Write(RunResult run, string directory)
    {
        var dir = Path.Combine(directory, ReportConstants.PlotsDirectory);
        // Text drawn into a PNG cannot be redacted afterwards, so the run is redacted before rendering.
        return _render(_redactor.Redact(run)).Select(p => ReportFile.WriteBytes(dir, p.FileName, p.Png)).ToList();
    }
}
