using System.ComponentModel.DataAnnotations;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Reports.Html;
using IndexForge.Resilience.Reports.Json;
using IndexForge.Resilience.Reports.JUnit;
using IndexForge.Resilience.Reports.Markdown;
using IndexForge.Resilience.Reports.Plots;
using IndexForge.Resilience.Reports.Redaction;

namespace IndexForge.Resilience.Reports;

public sealed record ReportSetOptions
{
    /// <summary>Formats to write (<see cref="ReportFormats"/>); all by default.</summary>
    [Required, MinLength(1)] public IReadOnlyList<string> Formats { get; init; } = ReportFormats.All;
    public MarkdownOptions Markdown { get; init; } = new();
}

/// <summary>What <see cref="ReportSet.Write"/> wrote, by format, and which formats failed (with why).</summary>
public sealed record ReportSetResult(string Directory, IReadOnlyDictionary<string, IReadOnlyList<string>> Files, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => Errors.Count == 0;
    public string? Path(string format) => Files.TryGetValue(format, out var files) && files.Count > 0 ? files[0] : null;
}

/// <summary>
/// Writes every report format for a run into <c>&lt;reportsRoot&gt;/&lt;run-id&gt;/</c>. The run is redacted once,
/// the plots are rendered once and shared by plots/ and index.html. A format that fails does not stop the
/// others (summary.json and junit.xml come first, as CI needs them most); its error is returned.
/// </summary>
public sealed class ReportSet(ReportSetOptions? options = null, SecretRedactor? redactor = null)
{
    private readonly ReportSetOptions _options = options ?? new ReportSetOptions();
    private readonly SecretRedactor _redactor = redactor ?? SecretRedactor.Default;

    /// <summary>The directory a run's reports go to: <c>&lt;reportsRoot&gt;/&lt;run-id&gt;</c> with the id made path-safe.</summary>
    public static string DirectoryFor(string reportsRoot, string runId)
    {
        var invalid = System.IO.Path.GetInvalidFileNameChars();
        var safe = new string(runId.Select(c => invalid.Contains(c) || c == '\\' ? '-' : c).ToArray()).Trim('.', ' ');
        return System.IO.Path.Combine(reportsRoot, safe.Length == 0 ? "run" : safe);
    }

    public ReportSetResult Write(RunResult run, string reportsRoot = ReportConstants.DefaultReportsRoot)
    {
        var unknown = _options.Formats.Except(ReportFormats.All, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"unknown report format(s): {string.Join(", ", unknown)} (known: {string.Join(", ", ReportFormats.All)})");

        var safe = _redactor.Redact(run);
        var directory = DirectoryFor(reportsRoot, safe.Manifest.RunId);
        Directory.CreateDirectory(directory);
        var files = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);

        IReadOnlyList<RenderedPlot>? plots = null;
        IReadOnlyList<RenderedPlot> Plots(RunResult _)
        {
            try { return plots ??= new PlotRenderer().Render(safe); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // index.html is still worth having without pictures; the failure is reported under "plots".
                errors.TryAdd(ReportFormats.Plots, "plots could not be rendered: " + e.Message);
                return plots = [];
            }
        }

        foreach (var writer in Writers(Plots))
        {
            if (!_options.Formats.Contains(writer.Name, StringComparer.Ordinal)) continue;
            try
            {
                files[writer.Name] = writer.Write(safe, directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or TypeInitializationException or DllNotFoundException)
            {
                errors[writer.Name] = e.Message;
            }
        }
        return new ReportSetResult(directory, files, errors);
    }

    private IEnumerable<IReportWriter> Writers(Func<RunResult, IReadOnlyList<RenderedPlot>> plots)
    {
        yield return new SummaryJsonWriter(_redactor);
        yield return new JUnitWriter(_redactor);
        yield return new MarkdownWriter(_options.Markdown, _redactor);
        yield return new PlotsWriter(plots);
        yield return new HtmlWriter(plots, _redactor);
    }
}
