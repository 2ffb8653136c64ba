using System.Text.Json;
using System.Xml.Linq;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Formatting;
using Xunit;

namespace IndexForge.Resilience.Lint.Tests.Formatting;

public sealed class LintFormatterTests
{
    private static LintFinding Make(string id, Severity severity, int line) => new()
    {
        RuleId = id, Severity = severity, File = "clusters/plan/istio/dr.yaml", Line = line,
        Message = $"message {id}", Why = "why", Fix = "fix", Reference = "https://istio.io/x",
    };

    private static readonly LintReport Report = new()
    {
        Findings = [Make("ISTIO003", Severity.Error, 19), Make("ISTIO015", Severity.Info, 2)],
        Files = ["clusters/plan/istio/dr.yaml"],
        Rules = ["ISTIO003", "ISTIO015", "ISTIO004"],
    };

    [Fact]
    public void ToText_Finding_HasLocationSeverityIdWhyFixAndCounts()
    {
        var text = LintFormatter.ToText(Report);
        Assert.Contains("clusters/plan/istio/dr.yaml:19: error ISTIO003: message ISTIO003", text, StringComparison.Ordinal);
        Assert.Contains("    why: why", text, StringComparison.Ordinal);
        Assert.Contains("    fix: fix", text, StringComparison.Ordinal);
        Assert.Contains("1 files, 1 errors, 0 warnings, 1 infos", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_Report_RoundTripsFindingsAndExitCode()
    {
        using var doc = JsonDocument.Parse(LintFormatter.Format(Report, LintFormats.Json));
        Assert.Equal(1, doc.RootElement.GetProperty("exitCode").GetInt32());
        var first = doc.RootElement.GetProperty("findings")[0];
        Assert.Equal("ISTIO003", first.GetProperty("ruleId").GetString());
        Assert.Equal("error", first.GetProperty("severity").GetString());
        Assert.Equal(19, first.GetProperty("line").GetInt32());
    }

    [Fact]
    public void ToJUnit_ErrorsAreFailuresOthersPass()
    {
        var xml = XDocument.Parse(LintFormatter.Format(Report, LintFormats.JUnit));
        var root = xml.Root!;
        Assert.Equal("1", root.Attribute("failures")!.Value);
        Assert.Equal("3", root.Attribute("tests")!.Value);
        Assert.Single(xml.Descendants("failure"));
        Assert.Contains(xml.Descendants("testcase"), t => t.Attribute("name")!.Value == "no findings" && t.Attribute("classname")!.Value == "ISTIO004");
    }

    [Fact]
    public void Format_UnknownFormat_Throws() =>
        Assert.Throws<ArgumentException>(() => LintFormatter.Format(Report, "yaml"));

    [Fact]
    public void ExitCode_NoErrorFindings_IsZero()
    {
        var clean = Report with { Findings = [Make("ISTIO015", Severity.Info, 2)] };
        Assert.Equal(0, clean.ExitCode);
        Assert.Equal(1, Report.ExitCode);
    }

    [Fact]
    public void ToCoreFinding_MapsEveryField()
    {
        var core = Make("ISTIO003", Severity.Error, 19).ToCoreFinding();
        Assert.Equal("ISTIO003", core.Id);
        Assert.Equal(Severity.Error, core.Severity);
        Assert.Equal("message ISTIO003", core.Title);
        Assert.Equal("why", core.Cause);
        Assert.Equal("fix", core.Fix);
        Assert.Equal("clusters/plan/istio/dr.yaml:19", core.Location);
        Assert.Equal("https://istio.io/x", core.Reference);
        Assert.Equal(2, Report.ToCoreFindings().Count);
    }
}
