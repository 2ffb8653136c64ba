using System.Text;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Reports.Plots;
using static IndexForge.Resilience.Reports.Html.HtmlText;

namespace IndexForge.Resilience.Reports.Html;

public sealed partial class HtmlWriter
{
    /// <summary>Events beyond this many are summarised, not listed (the plots still mark them).</summary>
    private const int MaxEventRows = 200;

    private static void Scenario(StringBuilder sb, ScenarioResult s, int index, IReadOnlyList<RenderedPlot> plots)
    {
        var verdict = ReportText.Verdict(s.Verdict);
        sb.Append($"<section class=\"scenario {verdict}\" id=\"{Anchor(s, index)}\" data-verdict=\"{verdict}\">\n");
        sb.Append($"<h2>{E(DisplayName(s))} {Badge(s.Verdict)}</h2>\n");
        sb.Append($"<blockquote class=\"claim\"><strong>Claim:</strong> {E(s.Claim)}");
        if (s.PlanSection is not null) sb.Append($"<br><span class=\"meta\">Plan: {E(s.PlanSection)}</span>");
        sb.Append("</blockquote>\n");
        sb.Append($"<p class=\"meta\">Scenario <span class=\"mono\">{E(s.File)}</span> · mesh <span class=\"mono\">{E(s.MeshConfig)}</span> · started {E(s.StartedAt.ToString("u"))} · duration {E(ReportText.Seconds(s.Duration))}</p>\n");
        if (s.Error is not null) sb.Append($"<pre class=\"error\">{E(s.Error)}</pre>\n");

        var warnings = ReportText.Warnings(s);
        if (warnings.Count > 0)
        {
            sb.Append("<h3>Warnings</h3>\n<ul class=\"warnings\">\n");
            foreach (var w in warnings) sb.Append($"<li>{E(w)}</li>\n");
            sb.Append("</ul>\n");
        }

        Assertions(sb, s);
        if (s.Findings.Count > 0)
        {
            sb.Append("<h3>Findings</h3>\n");
            foreach (var f in s.Findings) FindingBlock(sb, f);
        }
        Load(sb, s.Load);
        foreach (var p in plots)
        {
            sb.Append($"<figure data-plot=\"{E(p.Kind)}\"><img src=\"data:image/png;base64,{Convert.ToBase64String(p.Png)}\" width=\"{p.Width}\" height=\"{p.Height}\" alt=\"{E(p.Title)} for {E(p.Scenario)}\">");
            sb.Append($"<figcaption><strong>{E(p.Title)}.</strong> {E(p.Description)}</figcaption></figure>\n");
        }
        Faults(sb, s);
        Events(sb, s);
        sb.Append("</section>\n");
    }

    private static void Assertions(StringBuilder sb, ScenarioResult s)
    {
        sb.Append("<h3>Assertions</h3>\n");
        if (s.Assertions.Count == 0) { sb.Append("<p class=\"meta\">No assertions were evaluated.</p>\n"); return; }
        sb.Append("<table class=\"assertions\">\n");
        sb.Head("Assertion", "Verdict", "Expected", "Observed", "Evidence window", "Figures");
        sb.Append("<tbody>\n");
        foreach (var a in s.Assertions)
        {
            var figures = string.Join("<br>", a.Figures.OrderBy(f => f.Key, StringComparer.Ordinal)
                .Select(f => $"<span class=\"mono\">{E(f.Key)}</span> = {E(ReportText.Number(f.Value))}"));
            var observed = E(a.Observed) + (a.Message is { Length: > 0 } msg ? $"<br><span class=\"meta\">{E(msg)}</span>" : "");
            sb.Append($"<tr class=\"{ReportText.Verdict(a.Verdict)}\"><td>{E(a.Name)}<br><span class=\"meta\">{E(a.Type)}</span></td>")
              .Append($"<td>{Badge(a.Verdict)}</td><td>{E(a.Expected)}</td><td>{observed}</td><td>{E(ReportText.Window(a))}</td><td>{figures}</td></tr>\n");
        }
        sb.Append("</tbody></table>\n");
    }

    private static void FindingBlock(StringBuilder sb, Finding f)
    {
        sb.Append($"<div class=\"finding sev-{ReportText.Severity(f.Severity)}\"><h4>{E(f.Id)} · {E(f.Title)} <span class=\"meta\">({E(ReportText.Severity(f.Severity))})</span></h4><dl>");
        sb.Append($"<dt>Cause</dt><dd>{E(f.Cause)}</dd><dt>Fix</dt><dd>{E(f.Fix)}</dd>");
        if (f.Location is not null) sb.Append($"<dt>Where</dt><dd class=\"mono\">{E(f.Location)}</dd>");
        if (f.Reference is not null) sb.Append($"<dt>Reference</dt><dd>{E(f.Reference)}</dd>");
        sb.Append("</dl></div>\n");
    }

    private static void Load(StringBuilder sb, LoadSummary l)
    {
        sb.Append("<h3>Load</h3>\n<table class=\"load\">\n");
        sb.Head("Scheduled", "Sent", "Completed", "Succeeded", "Failed", "Dropped", "Achieved rate", "p50", "p90", "p95", "p99", "max", "scheduler lag p99");
        sb.Append("<tbody><tr>");
        foreach (var count in new[] { l.Scheduled, l.Sent, l.Completed, l.Succeeded, l.Failed, l.Dropped }) sb.Append(Num(E(ReportText.Count(count))));
        sb.Append(Num(E(ReportText.Rate(l.AchievedRate))));
        foreach (var ms in new[] { l.Latency.P50, l.Latency.P90, l.Latency.P95, l.Latency.P99, l.Latency.Max }) sb.Append(Num(E(ReportText.Ms(ms))));
        sb.Append(Num(l.SchedulerLag is { } lag ? E(ReportText.Ms(lag.P99)) : "–"));
        sb.Append("</tr></tbody></table>\n<p class=\"meta\">Latency is measured from each request's intended send time, so a stalled generator cannot hide slow responses.</p>\n");
    }

    private static void Faults(StringBuilder sb, ScenarioResult s)
    {
        if (s.Faults.Count == 0 && s.Phases.Count == 0) return;
        sb.Append("<h3>Timeline</h3>\n<table class=\"faults\">\n");
        sb.Head("What", "Name", "Type", "Subject", "Start", "End", "Outcome");
        sb.Append("<tbody>\n");
        foreach (var p in s.Phases)
            sb.Row("phase", E(p.Name), E(p.Type), E(p.Route), E(ReportText.Seconds(p.Start)), E(ReportText.Seconds(p.End)), "");
        foreach (var f in s.Faults)
        {
            var outcome = new List<string>();
            outcome.Add(f.Injected ? "injected" : "not injected");
            if (f.Injected) outcome.Add(f.Reverted ? "reverted" : "not reverted");
            if (f.Error is not null) outcome.Add("error: " + f.Error);
            outcome.AddRange(f.Details.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}: {d.Value}"));
            sb.Row("fault", E(f.Name), E(f.Type), E(f.Subject), E(ReportText.Seconds(f.Start)), f.End is { } e ? E(ReportText.Seconds(e)) : "–",
                string.Join("<br>", outcome.Select(E)));
        }
        sb.Append("</tbody></table>\n");
    }

    private static void Events(StringBuilder sb, ScenarioResult s)
    {
        if (s.Events.Count == 0) return;
        sb.Append("<h3>Events</h3>\n<table class=\"events\">\n");
        sb.Head("At", "Kind", "Subject", "Detail");
        sb.Append("<tbody>\n");
        foreach (var e in s.Events.Take(MaxEventRows)) sb.Row(E(ReportText.Seconds(e.At)), E(e.Kind), E(e.Subject), E(e.Detail));
        sb.Append("</tbody></table>\n");
        if (s.Events.Count > MaxEventRows) sb.Append($"<p class=\"meta\">… and {s.Events.Count - MaxEventRows} more events (see summary.json).</p>\n");
    }
}
