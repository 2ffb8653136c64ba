namespace IndexForge.Resilience.Reports;

/// <summary>File names inside <c>reports/&lt;run-id&gt;/</c>; other tools and docs rely on them.</summary>
public static class ReportConstants
{
    public const string DefaultReportsRoot = "reports";
    public const string SummaryJson = "summary.json";
    public const string JUnitXml = "junit.xml";
    public const string SummaryMarkdown = "summary.md";
    public const string IndexHtml = "index.html";
    public const string PlotsDirectory = "plots";
}
