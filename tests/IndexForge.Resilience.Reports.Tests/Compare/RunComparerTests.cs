using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Reports.Compare;
using IndexForge.Resilience.Reports.Tests.Fixtures;
using Xunit;

namespace IndexForge.Resilience.Reports.Tests.Compare;

public sealed class RunComparerTests
{
    [Fact]
    public void Compare_UnchangedRun_HasNoRegression()
    {
        var c = new RunComparer().Compare(RecordedRun.Create(), RecordedRun.Create());
        Assert.False(c.HasRegression);
        Assert.All(c.Figures, f => Assert.Equal(ChangeStatus.Unchanged, f.Status));
        Assert.All(c.Verdicts, v => Assert.Equal(ChangeStatus.Unchanged, v.Status));
    }

    [Fact]
    public void Compare_LatencyUpBeyondTolerance_IsARegression()
    {
        var candidate = WithLoad(RecordedRun.Create(), 0, l => l with { Latency = l.Latency with { P95 = l.Latency.P95 * 1.5 } });
        var change = new RunComparer().Compare(RecordedRun.Create(), candidate).Figures.Single(f => f.Figure == "load.p95Ms" && f.Scenario == "outlier-ejection");
        Assert.Equal(ChangeStatus.Regressed, change.Status);
        Assert.True(change.IsRegression);
        Assert.Equal(50, change.DeltaPercent!.Value, 3);
    }

    [Fact]
    public void Compare_LatencyDown_IsAnImprovement()
    {
        var candidate = WithLoad(RecordedRun.Create(), 0, l => l with { Latency = l.Latency with { P95 = l.Latency.P95 / 2 } });
        var change = new RunComparer().Compare(RecordedRun.Create(), candidate).Figures.Single(f => f.Figure == "load.p95Ms" && f.Scenario == "outlier-ejection");
        Assert.Equal(ChangeStatus.Improved, change.Status);
        Assert.False(change.IsRegression);
    }

    [Fact]
    public void Compare_SmallLatencyChange_IsWithinTheFloor()
    {
        // +1.5 ms on ~12 ms is 12.5% (over 10%) but under the 2 ms latency floor: noise, not a regression.
        var candidate = WithLoad(RecordedRun.Create(), 0, l => l with { Latency = l.Latency with { P95 = l.Latency.P95 + 1.5 } });
        var change = new RunComparer().Compare(RecordedRun.Create(), candidate).Figures.Single(f => f.Figure == "load.p95Ms" && f.Scenario == "outlier-ejection");
        Assert.Equal(ChangeStatus.WithinTolerance, change.Status);
        var strict = new RunComparer(new CompareOptions { LatencyFloorMs = 0 }).Compare(RecordedRun.Create(), candidate);
        Assert.True(strict.HasRegression);
    }

    [Fact]
    public void Compare_ThroughputDown_IsARegressionButUpIsNot()
    {
        var down = WithLoad(RecordedRun.Create(), 1, l => l with { AchievedRate = l.AchievedRate * 0.7 });
        var up = WithLoad(RecordedRun.Create(), 1, l => l with { AchievedRate = l.AchievedRate * 1.3 });
        Assert.True(new RunComparer().Compare(RecordedRun.Create(), down).HasRegression);
        Assert.False(new RunComparer().Compare(RecordedRun.Create(), up).HasRegression);
    }

    [Fact]
    public void Compare_SuccessRatioDown_IsARegression()
    {
        var candidate = WithLoad(RecordedRun.Create(), 0, l => l with { Succeeded = l.Completed - 600, Failed = 600 });
        var change = new RunComparer().Compare(RecordedRun.Create(), candidate).Figures.Single(f => f.Figure == "load.successRatio" && f.Scenario == "outlier-ejection");
        Assert.True(change.IsRegression);
    }

    [Fact]
    public void Compare_AssertionFigureWorse_IsARegression()
    {
        var run = RecordedRun.Create();
        var s = run.Scenarios[1];
        var a = s.Assertions[1] with { Figures = new Dictionary<string, double>(s.Assertions[1].Figures) { ["overheadP95Ms"] = 4.1 } };
        var candidate = run with { Scenarios = [run.Scenarios[0], s with { Assertions = [s.Assertions[0], a, s.Assertions[2]] }] };
        var change = new RunComparer().Compare(RecordedRun.Create(), candidate).Figures.Single(f => f.Figure == "overheadP95Ms");
        Assert.Equal("mesh overhead p95", change.Assertion);
        Assert.Equal(FigureDirection.LowerIsBetter, change.Direction);
        Assert.True(change.IsRegression);
    }

    [Fact]
    public void Compare_PassBecameFail_IsARegressionEvenWithSameFigures()
    {
        var run = RecordedRun.Create();
        var s = run.Scenarios[1];
        var candidate = run with { Scenarios = [run.Scenarios[0], s with { Assertions = [s.Assertions[0] with { Verdict = Verdict.Fail }, s.Assertions[1], s.Assertions[2]] }] };
        var c = new RunComparer().Compare(RecordedRun.Create(), candidate);
        var v = c.Verdicts.Single(x => x.Assertion == "failover within 5s");
        Assert.Equal(ChangeStatus.Regressed, v.Status);
        Assert.True(c.HasRegression);
    }

    [Fact]
    public void Compare_FailBecamePass_IsAnImprovement()
    {
        var run = RecordedRun.Create();
        var s = run.Scenarios[0];
        var candidate = run with { Scenarios = [s with { Verdict = Verdict.Pass, Assertions = [.. s.Assertions.Select(a => a with { Verdict = a.Verdict == Verdict.Fail ? Verdict.Pass : a.Verdict })] }, run.Scenarios[1]] };
        var c = new RunComparer().Compare(RecordedRun.Create(), candidate);
        Assert.False(c.HasRegression);
        Assert.Contains(c.Verdicts, v => v.Assertion == "failed requests under fault" && v.Status == ChangeStatus.Improved);
    }

    [Fact]
    public void Compare_MissingScenario_IsARegressionByDefault()
    {
        var run = RecordedRun.Create();
        var candidate = run with { Scenarios = [run.Scenarios[0]] };
        Assert.True(new RunComparer().Compare(run, candidate).HasRegression);
        Assert.False(new RunComparer(new CompareOptions { MissingIsRegression = false }).Compare(run, candidate).HasRegression);
        var added = new RunComparer().Compare(candidate, run);
        Assert.False(added.HasRegression);
        Assert.Contains(added.Verdicts, v => v.Scenario == "region-failover" && v.Status == ChangeStatus.Added);
    }

    [Theory]
    [InlineData("load.p95Ms", FigureDirection.LowerIsBetter)]
    [InlineData("timeToFailoverMs", FigureDirection.LowerIsBetter)]
    [InlineData("failedRatio", FigureDirection.LowerIsBetter)]
    [InlineData("errorRate", FigureDirection.LowerIsBetter)]
    [InlineData("load.achievedRate", FigureDirection.HigherIsBetter)]
    [InlineData("successRatio", FigureDirection.HigherIsBetter)]
    [InlineData("failoverShare", FigureDirection.Neutral)]
    [InlineData("ejections", FigureDirection.Neutral)]
    public void Infer_FigureName_GivesDirection(string name, FigureDirection expected) => Assert.Equal(expected, FigureDirections.Infer(name));

    [Fact]
    public void Compare_NeutralFigureMoves_IsChangedNotRegressed()
    {
        var run = RecordedRun.Create();
        var s = run.Scenarios[1];
        var a = s.Assertions[0] with { Figures = new Dictionary<string, double> { ["timeToFailoverMs"] = 800, ["failoverShare"] = 0.5 } };
        var candidate = run with { Scenarios = [run.Scenarios[0], s with { Assertions = [a, s.Assertions[1], s.Assertions[2]] }] };
        var change = new RunComparer().Compare(RecordedRun.Create(), candidate).Figures.Single(f => f.Figure == "failoverShare");
        Assert.Equal(ChangeStatus.Changed, change.Status);
        Assert.False(change.IsRegression);
        var directed = new RunComparer(new CompareOptions { FigureDirectionOverrides = new Dictionary<string, FigureDirection> { ["failoverShare"] = FigureDirection.HigherIsBetter } });
        Assert.True(directed.Compare(RecordedRun.Create(), candidate).HasRegression);
    }

    internal static RunResult WithLoad(RunResult run, int index, Func<LoadSummary, LoadSummary> change) =>
        run with { Scenarios = run.Scenarios.Select((s, i) => i == index ? s with { Load = change(s.Load) } : s).ToList() };
}
