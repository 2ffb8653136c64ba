using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Reports;

/// <summary>
/// Writes one report format for a finished run. Writers read the immutable <see cref="RunResult"/>
/// and never recompute the figures behind a verdict; every text they emit goes through the redactor.
/// </summary>
public interface IReportWriter
{
    /// <summary>The format key (<see cref="ReportFormats"/>).</summary>
    string Name { get; }

    /// <summary>Writes the format into <paramref name="directory"/> (created if missing) and returns the files written.</summary>
    IReadOnlyList<string> Write(RunResult run, string directory);
}

/// <summary>Format keys, as <c>--format</c> and <see cref="ReportSet"/> name them.</summary>
public static class ReportFormats
{
    public const string Json = "json";
    public const string JUnit = "junit";
    public const string Markdown = "markdown";
    public const string Html = "html";
    public const string Plots = "plots";
    public static readonly IReadOnlyList<string> All = [Json, JUnit, Markdown, Plots, Html];
}
