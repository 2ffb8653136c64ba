using System.Text;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Reports.Redaction;

namespace IndexForge.Resilience.Reports.Markdown;

/// <summary>
/// summary.md: a verdict line, one table row per assertion, the findings and warnings, and a link to
/// index.html — short enough to post as a pull-request comment (long lists are cut, with a count).
/// </summary>
public sealed class MarkdownWriter(MarkdownOptions? options = null, SecretRedactor? redactor = null) : IReportWriter
{
    private readonly MarkdownOptions _options = options ?? new MarkdownOptions();
    private readonly SecretRedactor _redactor = redactor ?? SecretRedactor.Default;

    public string Name => ReportFormats.Markdown;

    public IReadOnlyList<string> Write(RunResult run, string directory) =>
        [ReportFile.WriteText(directory, ReportConstants.SummaryMarkdown, Render(run), _redactor)];

    public string Render(RunResult run)
    {
        run = _redactor.Redact(run);
        var md = new StringBuilder();
        var m = run.Manifest;
        var (total, passed, failed, skipped, errors) = ReportText.Tally(run);

        md.Append("## ").Append(Badge(run)).Append(" IndexForge resilience run `").Append(Code(m.RunId)).Append("`\n\n");
        md.Append($"target `{Code(m.Target)}`");
        if (m.Suite is not null) md.Append($" · suite `{Code(m.Suite)}`");
        md.Append($" · seed {m.Seed} · {run.Scenarios.Count} scenario(s) · {total} assertion(s): {passed} passed, {failed} failed, {skipped} skipped, {errors} errors\n\n");
        if (run.Aborted) md.Append("> **Aborted:** ").Append(Cell(run.AbortReason ?? "the run was interrupted")).Append(" — results below are partial.\n\n");

        md.Append("| Scenario | Assertion | Verdict | Expected | Observed | Evidence window |\n");
        md.Append("|---|---|---|---|---|---|\n");
        var rows = Rows(run).ToList();
        foreach (var row in rows.Take(_options.MaxRows)) md.Append(row).Append('\n');
        if (rows.Count > _options.MaxRows) md.Append($"\n_… and {rows.Count - _options.MaxRows} more rows in the full report._\n");

        var findings = run.Scenarios.SelectMany(s => s.Findings.Select(f => (Scenario: s.Name, Finding: f)))
            .Concat(run.LintFindings.Select(f => (Scenario: "lint", Finding: f))).ToList();
        if (findings.Count > 0 && _options.MaxFindings > 0)
        {
            md.Append("\n### Findings\n\n");
            foreach (var (scenario, f) in findings.Take(_options.MaxFindings))
                md.Append($"- **{Cell(f.Id)}** ({ReportText.Severity(f.Severity)}, {Cell(scenario)}) {Cell(f.Title)} — {Cell(f.Cause)} **Fix:** {Cell(f.Fix)}\n");
            if (findings.Count > _options.MaxFindings) md.Append($"- _… and {findings.Count - _options.MaxFindings} more._\n");
        }

        var warnings = run.Scenarios.SelectMany(s => ReportText.Warnings(s).Select(w => (s.Name, w))).ToList();
        if (warnings.Count > 0 && _options.MaxWarnings > 0)
        {
            md.Append("\n### Warnings\n\n");
            foreach (var (scenario, w) in warnings.Take(_options.MaxWarnings)) md.Append($"- {Cell(scenario)}: {Cell(w)}\n");
            if (warnings.Count > _options.MaxWarnings) md.Append($"- _… and {warnings.Count - _options.MaxWarnings} more._\n");
        }

        md.Append($"\nFull report: [{Cell(Path.GetFileName(_options.ReportLink))}]({_options.ReportLink.Replace(" ", "%20", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal)})\n");
        return md.ToString();
    }

    private IEnumerable<string> Rows(RunResult run)
    {
        foreach (var s in run.Scenarios)
        {
            var scenario = s.NegativeControlOf is null ? s.Name : $"{s.Name} (control of {s.NegativeControlOf})";
            if (s.Error is not null)
                yield return $"| {Cell(scenario)} | _scenario_ | {Verdict(Core.Results.Verdict.Error)} | | {Cell(s.Error)} | |";
            if (s.Assertions.Count == 0 && s.Error is null)
                yield return $"| {Cell(scenario)} | _no assertions_ | {Verdict(s.Verdict)} | | | |";
            foreach (var a in s.Assertions)
                yield return $"| {Cell(scenario)} | {Cell(a.Name)} | {Verdict(a.Verdict)} | {Cell(a.Expected)} | {Cell(a.Verdict == Core.Results.Verdict.Skipped ? a.Message ?? a.Observed : a.Observed)} | {Cell(ReportText.Window(a))} |";
        }
    }

    private static string Badge(RunResult run) => run.Aborted ? "🛑 ABORTED" : run.Verdict switch
    {
        Core.Results.Verdict.Pass => "✅ PASS",
        Core.Results.Verdict.Fail => "❌ FAIL",
        Core.Results.Verdict.Skipped => "⏭️ SKIPPED",
        _ => "⚠️ ERROR",
    };

    private static string Verdict(Verdict v) => v switch
    {
        Core.Results.Verdict.Pass => "✅ pass",
        Core.Results.Verdict.Fail => "❌ fail",
        Core.Results.Verdict.Skipped => "⏭️ skipped",
        _ => "⚠️ error",
    };

    // Table cells: one line, no pipe, no raw HTML (GitHub renders some), bounded length.
    private string Cell(string text)
    {
        var flat = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        if (flat.Length > _options.MaxCellLength) flat = flat[..(_options.MaxCellLength - 1)] + "…";
        var sb = new StringBuilder(flat.Length);
        foreach (var c in flat)
        {
            sb.Append(c switch
            {
                '|' => "\\|",
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '`' or '*' or '_' or '[' or ']' or '\\' => "\\" + c,
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    private static string Code(string text) => text.Replace("`", "'", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
