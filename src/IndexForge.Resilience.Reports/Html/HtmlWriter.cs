using System.Reflection;
using System.Text;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Reports.Plots;
using IndexForge.Resilience.Reports.Redaction;
using static IndexForge.Resilience.Reports.Html.HtmlText;

namespace IndexForge.Resilience.Reports.Html;

/// <summary>
/// index.html: one self-contained page (CSS inline, plots as data: PNGs, no script, a Content-Security-Policy
/// that forbids any network request) that tells a run's story: verdict banner, a section per scenario with its
/// claim, assertions with expected vs observed and the evidence window, findings with cause and fix, warnings,
/// plots, lint findings and the run manifest. Every run text is HTML-escaped after redaction.
/// </summary>
public sealed partial class HtmlWriter(Func<RunResult, IReadOnlyList<RenderedPlot>>? plots = null, SecretRedactor? redactor = null) : IReportWriter
{
    /// <summary>Nothing may be fetched: only inline styles and data: images are allowed.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

    private static readonly Lazy<string> Css = new(LoadCss);
    private readonly Func<RunResult, IReadOnlyList<RenderedPlot>> _plots = plots ?? new PlotRenderer().Render;
    private readonly SecretRedactor _redactor = redactor ?? SecretRedactor.Default;

    public string Name => ReportFormats.Html;

    public IReadOnlyList<string> Write(RunResult run, string directory) =>
        [ReportFile.WriteText(directory, ReportConstants.IndexHtml, Render(run), _redactor)];

    public string Render(RunResult run)
    {
        run = _redactor.Redact(run);
        var plots = _plots(run);
        var m = run.Manifest;
        var verdict = run.Aborted ? "aborted" : ReportText.Verdict(run.Verdict);
        var (total, passed, failed, skipped, errors) = ReportText.Tally(run);
        var sb = new StringBuilder(256 * 1024);

        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append($"<meta http-equiv=\"Content-Security-Policy\" content=\"{ContentSecurityPolicy}\">\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append($"<title>{E(verdict.ToUpperInvariant())} · IndexForge resilience run {E(m.RunId)}</title>\n");
        sb.Append("<style>\n").Append(Css.Value).Append("</style>\n</head>\n<body>\n");

        sb.Append($"<header class=\"banner verdict-{verdict}\" id=\"verdict\" data-verdict=\"{verdict}\">\n");
        sb.Append($"<h1>{E(verdict.ToUpperInvariant())}</h1>\n");
        sb.Append($"<p>Run <span class=\"mono\">{E(m.RunId)}</span> on target <strong>{E(m.Target)}</strong>");
        if (m.Suite is not null) sb.Append($", suite <strong>{E(m.Suite)}</strong>");
        sb.Append($", seed {m.Seed}, started {E(m.StartedAt.ToString("u"))}</p>\n");
        sb.Append($"<p>{run.Scenarios.Count} scenario(s), {total} assertion(s): {passed} passed, {failed} failed, {skipped} skipped, {errors} errors</p>\n");
        sb.Append("</header>\n<main>\n");

        if (run.Aborted)
            sb.Append($"<section class=\"aborted\" id=\"aborted\"><strong>Run aborted:</strong> {E(run.AbortReason ?? "the run was interrupted")}. The results below are partial; scenarios that did not run are missing.</section>\n");

        Overview(sb, run);
        if (run.LintFindings.Count > 0)
        {
            sb.Append("<h2 id=\"lint\">Lint findings</h2>\n<p class=\"meta\">Configuration mistakes found before the run started.</p>\n");
            foreach (var f in run.LintFindings) FindingBlock(sb, f);
        }
        for (var i = 0; i < run.Scenarios.Count; i++)
            Scenario(sb, run.Scenarios[i], i, plots.Where(p => p.ScenarioIndex == i).ToList());
        Manifest(sb, run);
        sb.Append($"<footer>Written by {E(m.Tool)} {E(m.ToolVersion)}. This page makes no network requests; the plots are embedded.</footer>\n");
        sb.Append("</main>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static void Overview(StringBuilder sb, RunResult run)
    {
        sb.Append("<h2 id=\"overview\">Scenarios</h2>\n<table class=\"overview\">\n");
        sb.Head("Scenario", "Verdict", "Claim", "Assertions", "Mesh config");
        sb.Append("<tbody>\n");
        for (var i = 0; i < run.Scenarios.Count; i++)
        {
            var s = run.Scenarios[i];
            var counts = string.Join(", ", s.Assertions.GroupBy(a => a.Verdict).OrderBy(g => g.Key).Select(g => $"{g.Count()} {ReportText.Verdict(g.Key)}"));
            sb.Append($"<tr class=\"{ReportText.Verdict(s.Verdict)}\">")
              .Append($"<td><a href=\"#{Anchor(s, i)}\">{E(DisplayName(s))}</a></td><td>{Badge(s.Verdict)}</td><td>{E(s.Claim)}</td>")
              .Append($"<td>{E(counts.Length == 0 ? "none" : counts)}</td><td class=\"mono\">{E(s.MeshConfig)}</td></tr>\n");
        }
        sb.Append("</tbody></table>\n");
    }

    private static void Manifest(StringBuilder sb, RunResult run)
    {
        var m = run.Manifest;
        sb.Append("<h2 id=\"manifest\">Run manifest</h2>\n<table class=\"manifest\"><tbody>\n");
        void Item(string name, string? value) { if (value is not null) sb.Append($"<tr><th>{E(name)}</th><td class=\"mono\">{E(value)}</td></tr>\n"); }
        Item("Run id", m.RunId);
        Item("Tool", $"{m.Tool} {m.ToolVersion}");
        Item("Target", m.Target);
        Item("Suite", m.Suite);
        Item("Seed", m.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Item("Started", m.StartedAt.ToString("u"));
        Item("Finished", m.FinishedAt.ToString("u"));
        Item("Machine", $"{m.Machine.Host} · {m.Machine.Os} · {m.Machine.ProcessorCount} CPU · {m.Machine.Runtime}");
        Item("Command line", m.CommandLine.Count == 0 ? null : string.Join(' ', m.CommandLine));
        Item("Schema version", run.SchemaVersion);
        sb.Append("</tbody></table>\n");
        if (m.ConfigHashes.Count > 0)
        {
            sb.Append("<h3>Configuration hashes (SHA-256)</h3>\n<table class=\"hashes\">\n");
            sb.Head("File", "SHA-256");
            sb.Append("<tbody>\n");
            foreach (var (file, hash) in m.ConfigHashes.OrderBy(h => h.Key, StringComparer.Ordinal))
                sb.Append($"<tr><td class=\"mono\">{E(file)}</td><td class=\"mono\">{E(hash)}</td></tr>\n");
            sb.Append("</tbody></table>\n");
        }
    }

    private static string Anchor(ScenarioResult s, int index) => $"scenario-{index:00}-{ReportText.Slug(s.Name)}";

    private static string DisplayName(ScenarioResult s) =>
        s.NegativeControlOf is null ? s.Name : $"{s.Name} (negative control of {s.NegativeControlOf})";

    private static string LoadCss()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("IndexForge.Resilience.Reports.Html.report.css")
            ?? throw new InvalidOperationException("report.css is not embedded in the Reports assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
