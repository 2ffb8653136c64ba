using System.Text.Json.Nodes;
using IndexForge.Resilience.Reports.Compare;
using IndexForge.Resilience.Reports.Json;
using IndexForge.Resilience.Reports.Tests.Fixtures;
using Xunit;

namespace IndexForge.Resilience.Reports.Tests.Compare;

public sealed class CompareCommandTests
{
    [Fact]
    public void Run_UnchangedRun_ExitsZeroAndSaysNoRegressions()
    {
        using var dir = new TempDirectory();
        var baseline = WriteRun(dir, "baseline", RecordedRun.Create());
        var candidate = WriteRun(dir, "candidate", RecordedRun.Create());
        var output = new StringWriter();
        Assert.Equal(0, CompareCommand.Run(baseline, candidate, new CompareOptions(), output));
        Assert.Contains("no regressions", output.ToString());
        Assert.Contains("outlier-ejection", output.ToString());
    }

    [Fact]
    public void Run_InjectedLatencyRegression_ExitsOneAndFlagsIt()
    {
        using var dir = new TempDirectory();
        var baseline = WriteRun(dir, "baseline", RecordedRun.Create());
        var slower = RunComparerTests.WithLoad(RecordedRun.Create(), 0, l => l with { Latency = l.Latency with { P99 = l.Latency.P99 * 2 } });
        var candidate = WriteRun(dir, "candidate", slower);
        var output = new StringWriter();
        Assert.Equal(1, CompareCommand.Run(baseline, candidate, new CompareOptions(), output));
        var line = output.ToString().Split('\n').Single(l => l.Contains("load.p99Ms", StringComparison.Ordinal) && l.StartsWith("outlier-ejection", StringComparison.Ordinal));
        Assert.Contains("+100.0%", line);
        Assert.Contains("REGRESSION", line);
        Assert.Contains("1 regression(s)", output.ToString());
    }

    [Fact]
    public void Run_ByRunIdUnderReportsRoot_FindsTheSummaries()
    {
        using var dir = new TempDirectory();
        WriteRun(dir, "run-a", RecordedRun.Create());
        WriteRun(dir, "run-b", RecordedRun.Create());
        Assert.Equal(0, CompareCommand.Run("run-a", "run-b", new CompareOptions { ReportsRoot = dir.Path }, new StringWriter()));
    }

    [Fact]
    public void Run_JsonFormatAndJsonPath_WriteTheComparison()
    {
        using var dir = new TempDirectory();
        var baseline = WriteRun(dir, "baseline", RecordedRun.Create());
        var candidate = WriteRun(dir, "candidate", RunComparerTests.WithLoad(RecordedRun.Create(), 1, l => l with { AchievedRate = 10 }));
        var output = new StringWriter();
        var jsonPath = Path.Combine(dir.Path, "out", "comparison.json");
        Assert.Equal(1, CompareCommand.Run(baseline, candidate, new CompareOptions { Format = CompareOutputFormat.Json, JsonPath = jsonPath }, output));
        var node = JsonNode.Parse(output.ToString())!;
        Assert.Equal("1.0", (string?)node["schemaVersion"]);
        Assert.True((bool)node["hasRegression"]!);
        Assert.Contains(node["figures"]!.AsArray(), f => (string?)f!["figure"] == "load.achievedRate" && (string?)f["status"] == "regressed");
        Assert.Equal(output.ToString(), File.ReadAllText(jsonPath));
    }

    [Fact]
    public void Run_UnreadableInput_ExitsTwo()
    {
        using var dir = new TempDirectory();
        var good = WriteRun(dir, "good", RecordedRun.Create());
        var garbage = Path.Combine(dir.Path, "garbage.json");
        File.WriteAllText(garbage, "{ not json");
        var error = new StringWriter();
        Assert.Equal(2, CompareCommand.Run(good, garbage, new CompareOptions(), new StringWriter(), error));
        Assert.Contains("garbage.json", error.ToString());
        Assert.Equal(2, CompareCommand.Run(Path.Combine(dir.Path, "nope"), good, new CompareOptions(), new StringWriter()));
    }

    [Fact]
    public void Run_InvalidOptions_ExitsTwo() =>
        Assert.Equal(2, CompareCommand.Run("a", "b", new CompareOptions { RelativeTolerance = -1 }, new StringWriter()));

    private static string WriteRun(TempDirectory dir, string name, Core.Results.RunResult run)
    {
        var path = Path.Combine(dir.Path, name);
        new SummaryJsonWriter().Write(run, path);
        return path;
    }
}
