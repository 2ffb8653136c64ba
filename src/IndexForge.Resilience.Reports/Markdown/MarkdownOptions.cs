using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Reports.Markdown;

/// <summary>Limits that keep summary.md short enough for a pull-request comment.</summary>
public sealed record MarkdownOptions
{
    /// <summary>Where the full report is, relative to summary.md or absolute (a CI artifact URL).</summary>
    [Required] public string ReportLink { get; init; } = MarkdownConstants.DefaultReportLink;
    [Range(1, 1000)] public int MaxRows { get; init; } = MarkdownConstants.DefaultMaxRows;
    [Range(0, 1000)] public int MaxFindings { get; init; } = MarkdownConstants.DefaultMaxFindings;
    [Range(0, 1000)] public int MaxWarnings { get; init; } = MarkdownConstants.DefaultMaxWarnings;
    /// <summary>Longest text in a table cell before it is cut with an ellipsis.</summary>
    [Range(20, 2000)] public int MaxCellLength { get; init; } = MarkdownConstants.DefaultMaxCellLength;
}

public static class MarkdownConstants
{
    public const string DefaultReportLink = ReportConstants.IndexHtml;
    public const int DefaultMaxRows = 60;
    public const int DefaultMaxFindings = 15;
    public const int DefaultMaxWarnings = 15;
    public const int DefaultMaxCellLength = 160;
}
