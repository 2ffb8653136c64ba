using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Rules;

namespace IndexForge.Resilience.Lint.Formatting;

/// <summary>Output formats of `lint --format`.</summary>
public static class LintFormats
{
    public const string Text = "text";
    public const string Json = "json";
    public const string JUnit = "junit";
    public static readonly IReadOnlyList<string> All = [Text, Json, JUnit];
}

public static class LintFormatter
{
    public static string Format(LintReport report, string format) => format switch
    {
        LintFormats.Text => ToText(report),
        LintFormats.Json => ToJson(report),
        LintFormats.JUnit => ToJUnit(report),
        _ => throw new ArgumentException($"unknown lint format '{format}' (use {string.Join(", ", LintFormats.All)})", nameof(format)),
    };

    /// <summary>Human output: one block per finding, then a count line.</summary>
    public static string ToText(LintReport report)
    {
        var sb = new StringBuilder();
        foreach (var f in report.Findings)
        {
            sb.Append(f.Location).Append(": ").Append(Label(f.Severity)).Append(' ').Append(f.RuleId).Append(": ").AppendLine(f.Message);
            sb.Append("    why: ").AppendLine(f.Why);
            sb.Append("    fix: ").AppendLine(f.Fix);
            sb.Append("    see: ").AppendLine(f.Reference);
        }
        sb.Append($"{report.Files.Count} files, {report.Errors} errors, {report.Warnings} warnings, {report.Infos} infos");
        sb.AppendLine();
        return sb.ToString();
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Machine output (schema version 1): counts, files and findings.</summary>
    public static string ToJson(LintReport report) => JsonSerializer.Serialize(new
    {
        schemaVersion = "1",
        errors = report.Errors,
        warnings = report.Warnings,
        infos = report.Infos,
        exitCode = report.ExitCode,
        files = report.Files,
        rules = report.Rules,
        findings = report.Findings.Select(f => new
        {
            ruleId = f.RuleId,
            severity = Label(f.Severity),
            file = f.File,
            line = f.Line,
            message = f.Message,
            why = f.Why,
            fix = f.Fix,
            reference = f.Reference,
        }),
    }, JsonOptions);

    /// <summary>
    /// JUnit XML for CI: one test suite per rule, one test case per finding; error-level findings are
    /// failures, warnings and infos pass with the text in system-out. Rules without findings are one passing case.
    /// </summary>
    public static string ToJUnit(LintReport report)
    {
        var suites = new XElement("testsuites",
            new XAttribute("name", "lint"),
            new XAttribute("tests", 0), new XAttribute("failures", report.Errors));
        var total = 0;
        foreach (var ruleId in report.Rules.Concat(report.Findings.Select(f => f.RuleId)).Distinct())
        {
            var findings = report.Findings.Where(f => f.RuleId == ruleId).ToList();
            var title = RuleCatalog.Find(ruleId)?.Info.Title ?? ruleId;
            var suite = new XElement("testsuite", new XAttribute("name", $"{ruleId} {title}"),
                new XAttribute("tests", Math.Max(1, findings.Count)),
                new XAttribute("failures", findings.Count(f => f.Severity == Severity.Error)));
            if (findings.Count == 0) suite.Add(new XElement("testcase", new XAttribute("classname", ruleId), new XAttribute("name", "no findings")));
            foreach (var f in findings)
            {
                var text = $"{f.Message}\nwhy: {f.Why}\nfix: {f.Fix}\nsee: {f.Reference}";
                var testcase = new XElement("testcase", new XAttribute("classname", ruleId), new XAttribute("name", f.Location));
                testcase.Add(f.Severity == Severity.Error
                    ? new XElement("failure", new XAttribute("message", f.Message), new XAttribute("type", ruleId), text)
                    : new XElement("system-out", $"{Label(f.Severity)}: {text}"));
                suite.Add(testcase);
            }
            total += Math.Max(1, findings.Count);
            suites.Add(suite);
        }
        suites.SetAttributeValue("tests", total);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), suites).Declaration + "\n" + suites + "\n";
    }

    public static string Label(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "info",
    };
}
