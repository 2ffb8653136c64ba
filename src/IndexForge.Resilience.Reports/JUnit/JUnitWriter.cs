using System.Globalization;
using System.Text;
using System.Xml;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Reports.Redaction;

namespace IndexForge.Resilience.Reports.JUnit;

/// <summary>
/// junit.xml: a testsuite per scenario, a testcase per assertion. The shape satisfies both the strict
/// Ant schema (windyroad JUnit.xsd: properties, system-out and system-err always present, a type on every
/// failure and error, timestamps without zone, in UTC) and Jenkins' junit-10.xsd, so Jenkins, GitLab and the
/// GitHub test reporters all parse it.
/// </summary>
public sealed class JUnitWriter(SecretRedactor? redactor = null) : IReportWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly SecretRedactor _redactor = redactor ?? SecretRedactor.Default;

    public string Name => ReportFormats.JUnit;

    public IReadOnlyList<string> Write(RunResult run, string directory) =>
        [ReportFile.WriteText(directory, ReportConstants.JUnitXml, Render(run), _redactor)];

    public string Render(RunResult run)
    {
        run = _redactor.Redact(run);
        var sb = new StringBuilder();
        var settings = new XmlWriterSettings
        {
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            Encoding = new UTF8Encoding(false),
            OmitXmlDeclaration = true,
        };
        using (var xml = XmlWriter.Create(sb, settings))
        {
            xml.WriteStartElement("testsuites");
            var id = 0;
            foreach (var scenario in run.Scenarios) WriteScenario(xml, run, scenario, id++);
            if (run.Aborted) WriteAborted(xml, run, id++);
            if (run.LintFindings.Count > 0) WriteLint(xml, run, id);
            xml.WriteEndElement();
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + sb + "\n";
    }

    private static void WriteScenario(XmlWriter xml, RunResult run, ScenarioResult scenario, int id)
    {
        var cases = scenario.Assertions.Select(a => new Case(a.Name, a.Type, a.Verdict, Message(a), Details(a))).ToList();
        if (scenario.Error is not null || (scenario.Verdict == Verdict.Error && cases.All(c => c.Verdict != Verdict.Error)))
            cases.Add(new Case("scenario", "scenario-error", Verdict.Error, scenario.Error ?? "the scenario ended in error", scenario.Error ?? ""));

        var name = scenario.NegativeControlOf is null ? scenario.Name : $"{scenario.Name} (negative control of {scenario.NegativeControlOf})";
        StartSuite(xml, run, name, id, scenario.StartedAt, scenario.Duration, cases);

        xml.WriteStartElement("properties");
        Property(xml, "claim", scenario.Claim);
        if (scenario.PlanSection is not null) Property(xml, "planSection", scenario.PlanSection);
        Property(xml, "scenarioFile", scenario.File);
        Property(xml, "meshConfig", scenario.MeshConfig);
        if (scenario.NegativeControlOf is not null) Property(xml, "negativeControlOf", scenario.NegativeControlOf);
        Property(xml, "verdict", ReportText.Verdict(scenario.Verdict));
        RunProperties(xml, run);
        xml.WriteEndElement();

        var className = $"{Package(run)}.{scenario.Name}";
        foreach (var c in cases) WriteCase(xml, className, c);

        Element(xml, "system-out", SystemOut(scenario));
        Element(xml, "system-err", string.Join("\n", ReportText.Warnings(scenario).Select(w => "warning: " + w)));
        xml.WriteEndElement();
    }

    private static void WriteAborted(XmlWriter xml, RunResult run, int id)
    {
        var reason = run.AbortReason ?? "the run was interrupted";
        var c = new Case("run completed", "run-aborted", Verdict.Error, "run aborted: " + reason, reason);
        StartSuite(xml, run, "run", id, run.Manifest.StartedAt, run.Manifest.FinishedAt - run.Manifest.StartedAt, [c]);
        xml.WriteStartElement("properties");
        RunProperties(xml, run);
        xml.WriteEndElement();
        WriteCase(xml, $"{Package(run)}.run", c);
        Element(xml, "system-out", "");
        Element(xml, "system-err", "run aborted: " + reason);
        xml.WriteEndElement();
    }

    // Lint findings are shown, not counted: they do not change the run's verdict, so no testcase carries them.
    private static void WriteLint(XmlWriter xml, RunResult run, int id)
    {
        StartSuite(xml, run, "lint", id, run.Manifest.StartedAt, TimeSpan.Zero, []);
        xml.WriteStartElement("properties");
        RunProperties(xml, run);
        xml.WriteEndElement();
        Element(xml, "system-out", string.Join("\n", run.LintFindings.Select(f =>
            $"[{ReportText.Severity(f.Severity)}] {f.Id} {f.Title}{(f.Location is null ? "" : $" ({f.Location})")}\n  cause: {f.Cause}\n  fix: {f.Fix}")));
        Element(xml, "system-err", "");
        xml.WriteEndElement();
    }

    private static void StartSuite(XmlWriter xml, RunResult run, string name, int id, DateTimeOffset started, TimeSpan duration, IReadOnlyList<Case> cases)
    {
        xml.WriteStartElement("testsuite");
        Attr(xml, "name", name);
        Attr(xml, "package", Package(run));
        Attr(xml, "id", id.ToString(Inv));
        Attr(xml, "timestamp", started.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", Inv));
        Attr(xml, "hostname", string.IsNullOrWhiteSpace(run.Manifest.Machine.Host) ? "localhost" : run.Manifest.Machine.Host);
        Attr(xml, "tests", cases.Count.ToString(Inv));
        Attr(xml, "failures", cases.Count(c => c.Verdict == Verdict.Fail).ToString(Inv));
        Attr(xml, "errors", cases.Count(c => c.Verdict == Verdict.Error).ToString(Inv));
        Attr(xml, "skipped", cases.Count(c => c.Verdict == Verdict.Skipped).ToString(Inv));
        Attr(xml, "time", Math.Max(0, duration.TotalSeconds).ToString("0.000", Inv));
    }

    private static void WriteCase(XmlWriter xml, string className, Case c)
    {
        xml.WriteStartElement("testcase");
        Attr(xml, "name", c.Name);
        Attr(xml, "classname", className);
        Attr(xml, "time", "0.000");
        var element = c.Verdict switch { Verdict.Fail => "failure", Verdict.Error => "error", Verdict.Skipped => "skipped", _ => null };
        if (element is not null)
        {
            xml.WriteStartElement(element);
            if (c.Verdict != Verdict.Skipped) Attr(xml, "type", c.Type);
            Attr(xml, "message", c.Message);
            if (c.Verdict != Verdict.Skipped && c.Details.Length > 0) xml.WriteString(Clean(c.Details));
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    private static string Message(AssertionResult a) => a.Verdict switch
    {
        Verdict.Skipped => a.Message ?? "not evaluated here",
        _ => $"expected {a.Expected}; observed {a.Observed}" + (a.Message is { Length: > 0 } m ? $" — {m}" : ""),
    };

    private static string Details(AssertionResult a)
    {
        var sb = new StringBuilder();
        sb.Append("expected: ").Append(a.Expected).Append('\n');
        sb.Append("observed: ").Append(a.Observed).Append('\n');
        sb.Append("evidence window: ").Append(ReportText.Window(a)).Append('\n');
        if (a.Message is { Length: > 0 }) sb.Append("message: ").Append(a.Message).Append('\n');
        foreach (var (name, value) in a.Figures.OrderBy(f => f.Key, StringComparer.Ordinal))
            sb.Append("figure ").Append(name).Append(" = ").Append(ReportText.Number(value)).Append('\n');
        return sb.ToString();
    }

    private static string SystemOut(ScenarioResult s)
    {
        var sb = new StringBuilder();
        var l = s.Load;
        sb.Append($"load: {l.Completed} completed, {l.Succeeded} succeeded, {l.Failed} failed, {l.Dropped} dropped, ")
          .Append($"{ReportText.Rate(l.AchievedRate)}, p50 {ReportText.Ms(l.Latency.P50)}, p95 {ReportText.Ms(l.Latency.P95)}, p99 {ReportText.Ms(l.Latency.P99)}\n");
        foreach (var f in s.Faults)
            sb.Append($"fault {f.Name} ({f.Type}) on {f.Subject}: {ReportText.Seconds(f.Start)} – {(f.End is { } e ? ReportText.Seconds(e) : "end")}")
              .Append(f.Error is null ? "" : $", error: {f.Error}").Append('\n');
        foreach (var finding in s.Findings)
            sb.Append($"finding [{ReportText.Severity(finding.Severity)}] {finding.Id} {finding.Title}\n  cause: {finding.Cause}\n  fix: {finding.Fix}\n");
        return sb.ToString().TrimEnd('\n');
    }

    private static void RunProperties(XmlWriter xml, RunResult run)
    {
        Property(xml, "runId", run.Manifest.RunId);
        Property(xml, "target", run.Manifest.Target);
        Property(xml, "seed", run.Manifest.Seed.ToString(Inv));
        Property(xml, "toolVersion", $"{run.Manifest.Tool} {run.Manifest.ToolVersion}");
        if (run.Aborted) Property(xml, "aborted", run.AbortReason ?? "true");
    }

    private static void Property(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("property");
        Attr(xml, "name", name);
        Attr(xml, "value", value);
        xml.WriteEndElement();
    }

    private static string Package(RunResult run) => "indexforge-resilience." + ReportText.Slug(run.Manifest.Suite ?? run.Manifest.Target);

    private static void Attr(XmlWriter xml, string name, string value) => xml.WriteAttributeString(name, Clean(value));

    private static void Element(XmlWriter xml, string name, string value) => xml.WriteElementString(name, Clean(value));

    // XML 1.0 cannot carry most control characters; a report must not become unparseable because of one.
    private static string Clean(string value)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && XmlConvert.IsXmlSurrogatePair(value[i + 1], c))
            {
                sb?.Append(c).Append(value[i + 1]);
                i++;
                continue;
            }
            if (XmlConvert.IsXmlChar(c)) { sb?.Append(c); continue; }
            sb ??= new StringBuilder(value, 0, i, value.Length);
            sb.Append('\uFFFD');
        }
        return sb?.ToString() ?? value;
    }

    private sealed record Case(string Name, string Type, Verdict Verdict, string Message, string Details);
}
