using System.Text.Json;
using System.Text.Json.Nodes;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Reports.Json;
using IndexForge.Resilience.Reports.Tests.Fixtures;
using IndexForge.Resilience.Testing;
using Json.Schema;
using Xunit;

namespace IndexForge.Resilience.Reports.Tests.Json;

public sealed class SummaryJsonTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromFile(RepoPaths.Of("docs", "summary.schema.json"));

    [Fact]
    public void Serialize_RecordedRun_MatchesGoldenFile() =>
        Golden.Verify("summary.json", SummaryJson.Serialize(RecordedRun.Create()));

    [Fact]
    public void Serialize_RecordedRun_UsesCamelCaseStringEnumsAndSeconds()
    {
        var node = JsonNode.Parse(SummaryJson.Serialize(RecordedRun.Create()))!;
        Assert.Equal(RunResult.CurrentSchemaVersion, (string?)node["schemaVersion"]);
        Assert.Equal("error", (string?)node["verdict"]);
        var first = node["scenarios"]![0]!;
        Assert.Equal("fail", (string?)first["verdict"]);
        Assert.Equal(62.0, (double)first["duration"]!);
        Assert.Equal(20.0, (double)first["faults"]![0]!["start"]!);
        Assert.Equal("skipped", (string?)first["assertions"]![3]!["verdict"]);
        Assert.Equal("warning", (string?)node["lintFindings"]![0]!["severity"]);
    }

    [Fact]
    public void Deserialize_SerializedRun_RoundTripsExactly()
    {
        var json = SummaryJson.Serialize(RecordedRun.Create());
        var back = SummaryJson.Deserialize(json);
        Assert.Equal(json, SummaryJson.Serialize(back));
        Assert.Equal(TimeSpan.FromSeconds(20.3), back.Scenarios[0].Events[0].At);
        Assert.Equal(2, back.Scenarios[1].Distributions.Count);
    }

    [Fact]
    public void SecondsConverter_TickPrecision_RoundTrips()
    {
        var run = RecordedRun.Create();
        var odd = TimeSpan.FromTicks(123_456_789_0123);
        var changed = run with { Scenarios = [run.Scenarios[0] with { Duration = odd }] };
        Assert.Equal(odd, SummaryJson.Deserialize(SummaryJson.Serialize(changed)).Scenarios[0].Duration);
    }

    [Fact]
    public void Schema_RecordedRun_IsValid()
    {
        var result = Evaluate(JsonNode.Parse(SummaryJson.Serialize(RecordedRun.Create()))!);
        Assert.True(result.IsValid, Errors(result));
    }

    [Theory]
    [InlineData("verdict", "\"passed\"")]
    [InlineData("schemaVersion", "1")]
    [InlineData("scenarios", "{}")]
    [InlineData("extraField", "true")]
    public void Schema_BrokenDocument_IsInvalid(string property, string value)
    {
        // Negative controls: the schema must reject what the reader would not accept.
        var node = JsonNode.Parse(SummaryJson.Serialize(RecordedRun.Create()))!.AsObject();
        node[property] = JsonNode.Parse(value);
        Assert.False(Evaluate(node).IsValid);
    }

    [Fact]
    public void Schema_MissingDuration_IsInvalid()
    {
        var node = JsonNode.Parse(SummaryJson.Serialize(RecordedRun.Create()))!;
        node["scenarios"]![0]!.AsObject().Remove("duration");
        Assert.False(Evaluate(node).IsValid);
    }

    [Fact]
    public void Read_NotJson_ThrowsSummaryFormatException()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "summary.json");
        File.WriteAllText(path, "<html>not a summary</html>");
        var e = Assert.Throws<SummaryFormatException>(() => SummaryJson.Read(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Read_MissingFile_ThrowsSummaryFormatException() =>
        Assert.Throws<SummaryFormatException>(() => SummaryJson.Read("/nonexistent/summary.json"));

    [Fact]
    public void Deserialize_OtherMajorVersion_IsRefused()
    {
        var node = JsonNode.Parse(SummaryJson.Serialize(RecordedRun.Create()))!;
        node["schemaVersion"] = "2.0";
        var e = Assert.Throws<SummaryFormatException>(() => SummaryJson.Deserialize(node.ToJsonString()));
        Assert.Contains("2.0", e.Message);
    }

    [Fact]
    public void Deserialize_NewerMinorVersion_IsRead()
    {
        var node = JsonNode.Parse(SummaryJson.Serialize(RecordedRun.Create()))!;
        node["schemaVersion"] = "1.7";
        Assert.Equal("1.7", SummaryJson.Deserialize(node.ToJsonString()).SchemaVersion);
    }

    [Fact]
    public void Deserialize_MissingRequiredField_IsRefused()
    {
        var node = JsonNode.Parse(SummaryJson.Serialize(RecordedRun.Create()))!;
        node["manifest"]!.AsObject().Remove("runId");
        Assert.Throws<SummaryFormatException>(() => SummaryJson.Deserialize(node.ToJsonString()));
    }

    [Fact]
    public void Deserialize_NullForNonNullableText_IsRefused()
    {
        var node = JsonNode.Parse(SummaryJson.Serialize(RecordedRun.Create()))!;
        node["scenarios"]![0]!["claim"] = null;
        Assert.Throws<SummaryFormatException>(() => SummaryJson.Deserialize(node.ToJsonString()));
    }

    private static EvaluationResults Evaluate(JsonNode node)
    {
        using var doc = JsonDocument.Parse(node.ToJsonString());
        return Schema.Evaluate(doc.RootElement.Clone(), new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Errors(EvaluationResults result) =>
        string.Join("\n", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}")));
}
