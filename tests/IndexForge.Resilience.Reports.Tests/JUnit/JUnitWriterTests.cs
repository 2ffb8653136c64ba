using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Reports.JUnit;
using IndexForge.Resilience.Reports.Tests.Fixtures;
using IndexForge.Resilience.Testing;
using Xunit;

namespace IndexForge.Resilience.Reports.Tests.JUnit;

public sealed class JUnitWriterTests
{
    public static TheoryData<string> SchemaFiles => new() { "jenkins-junit-10.xsd", "ant-junit.xsd" };

    private static readonly string Xml = new JUnitWriter().Render(RecordedRun.Create());

    [Fact]
    public void Render_RecordedRun_MatchesGoldenFile() => Golden.Verify("junit.xml", Xml);

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void Render_RecordedRun_ValidatesAgainstSchema(string xsd) => Assert.Empty(Validate(Xml, xsd));

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void Render_AbortedRunWithLint_ValidatesAgainstSchema(string xsd)
    {
        var run = RecordedRun.Create() with { Aborted = true, AbortReason = "interrupted (Ctrl-C) <during> region-failover" };
        Assert.Empty(Validate(new JUnitWriter().Render(run), xsd));
    }

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void Validate_TestcaseWithoutName_IsRejected(string xsd)
    {
        // Negative control: the schema check is real.
        var broken = Xml.Replace("<testcase name=\"replica ejected\"", "<testcase", StringComparison.Ordinal);
        Assert.NotEmpty(Validate(broken, xsd));
    }

    [Fact]
    public void Validate_FailureWithoutType_IsRejectedByAntSchema()
    {
        var broken = Xml.Replace("<failure type=\"threshold\"", "<failure", StringComparison.Ordinal);
        Assert.NotEqual(Xml, broken);
        Assert.NotEmpty(Validate(broken, "ant-junit.xsd"));
    }

    [Fact]
    public void Render_RecordedRun_HasASuitePerScenarioAndACasePerAssertion()
    {
        var doc = XDocument.Parse(Xml);
        var suites = doc.Root!.Elements("testsuite").ToList();
        Assert.Equal(["outlier-ejection", "region-failover", "lint"], suites.Select(s => (string?)s.Attribute("name")));
        var first = suites[0];
        Assert.Equal(["replica ejected", "p95 under fault", "failed requests under fault", "alert fires"], first.Elements("testcase").Select(c => (string?)c.Attribute("name")));
        Assert.Equal("4", (string?)first.Attribute("tests"));
        Assert.Equal("1", (string?)first.Attribute("failures"));
        Assert.Equal("1", (string?)first.Attribute("skipped"));
        Assert.Equal("0", (string?)first.Attribute("errors"));
        Assert.Equal("2026-11-27T02:00:00", (string?)first.Attribute("timestamp"));
        Assert.Equal("0", (string?)suites[2].Attribute("tests"));
    }

    [Fact]
    public void Render_FailedAssertion_CarriesExpectedObservedAndWindow()
    {
        var failure = XDocument.Parse(Xml).Descendants("failure").Single();
        Assert.Equal("threshold", (string?)failure.Attribute("type"));
        Assert.Contains("expected rate(failed) < 0.5%; observed rate(failed) = 0.6% (12 of 2000)", (string?)failure.Attribute("message"));
        Assert.Contains("evidence window: replica-500s (20.0 s – 40.0 s)", failure.Value);
        Assert.Contains("figure failedRatio = 0.006", failure.Value);
    }

    [Fact]
    public void Render_SkippedAndErroredAssertions_UseSkippedAndError()
    {
        var doc = XDocument.Parse(Xml);
        var skipped = doc.Descendants("skipped").Single();
        Assert.Equal("promtool is not installed (apt-get install prometheus)", (string?)skipped.Attribute("message"));
        var error = doc.Descendants("error").Single();
        Assert.Equal("threshold", (string?)error.Attribute("type"));
        Assert.Contains("metrics source unreachable", (string?)error.Attribute("message"));
    }

    [Fact]
    public void Render_Suite_HasTheClaimAsAProperty()
    {
        var props = XDocument.Parse(Xml).Root!.Element("testsuite")!.Element("properties")!.Elements("property")
            .ToDictionary(p => (string)p.Attribute("name")!, p => (string)p.Attribute("value")!);
        Assert.StartsWith("A replica that returns 5xx is ejected", props["claim"]);
        Assert.Equal("1234", props["seed"]);
        Assert.Equal("clusters/hardened", props["meshConfig"]);
    }

    [Fact]
    public void Render_AbortedRun_AddsAnErroredRunSuite()
    {
        var run = RecordedRun.Create() with { Aborted = true, AbortReason = "interrupted" };
        var suite = XDocument.Parse(new JUnitWriter().Render(run)).Root!.Elements("testsuite").Single(s => (string?)s.Attribute("name") == "run");
        Assert.Equal("run-aborted", (string?)suite.Element("testcase")!.Element("error")!.Attribute("type"));
    }

    [Fact]
    public void Render_ControlCharactersAndMarkup_StayWellFormed()
    {
        var run = RecordedRun.Create();
        var s = run.Scenarios[0];
        var nasty = run with { Scenarios = [s with { Claim = "bell\u0007 <b>&amp; \"quoted\" ]]> 😀", Name = "a&b<c>" }] };
        var xml = new JUnitWriter().Render(nasty);
        var doc = XDocument.Parse(xml);
        Assert.Equal("a&b<c>", (string?)doc.Root!.Element("testsuite")!.Attribute("name"));
        Assert.Contains("😀", xml);
        Assert.Empty(Validate(xml, "ant-junit.xsd"));
    }

    internal static List<string> Validate(string xml, string xsd)
    {
        var schemas = new XmlSchemaSet();
        schemas.Add(null, RepoPaths.Of("tests", "IndexForge.Resilience.Reports.Tests", "Schemas", xsd));
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity} line {e.Exception?.LineNumber}: {e.Message}");
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        while (reader.Read()) { }
        return errors;
    }
}
