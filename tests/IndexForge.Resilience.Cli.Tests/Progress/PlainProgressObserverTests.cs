using IndexForge.Resilience.Cli.Progress;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IndexForge.Resilience.Cli.Tests.Progress;

public sealed class PlainProgressObserverTests
{
    [Fact]
    public void Window_WithinInterval_PrintsAtMostOneStatusLine()
    {
        var time = new FakeTimeProvider();
        var output = new StringWriter();
        var observer = new PlainProgressObserver(output, time, new ProgressOptions { Interval = TimeSpan.FromSeconds(10) });
        observer.RunStarted("run-1", 1);
        observer.ScenarioStarted("outlier-ejection", null, TimeSpan.FromSeconds(30));
        for (var i = 0; i < 25; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            observer.Window("outlier-ejection", ProgressFixture.Window(i, i == 12 ? 3 : 0, 9.5 + i));
        }
        var status = output.ToString().Split('\n').Where(l => l.Contains("rate=", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, status.Count);
        Assert.Equal("[outlier-ejection] 00:10/00:30 phase=steady rate=100.0/s errors=0 p95=18.5 ms", status[0]);
        Assert.Equal("[outlier-ejection] 00:20/00:30 phase=steady rate=100.0/s errors=3 p95=28.5 ms", status[1]);
    }

    [Fact]
    public void Events_AndRunFinished_PrintPlainLinesAndOneResultPerScenario()
    {
        var time = new FakeTimeProvider();
        var output = new StringWriter();
        var observer = new PlainProgressObserver(output, time);
        observer.RunStarted("run-1", 1);
        observer.ScenarioStarted("outlier-ejection", "no-outlier-detection", TimeSpan.FromSeconds(30));
        observer.PhaseStarted("outlier-ejection", "steady", TimeSpan.FromSeconds(5));
        observer.FaultInjected("outlier-ejection", ProgressFixture.Fault);
        observer.FaultReverted("outlier-ejection", ProgressFixture.Fault);
        observer.ScenarioFinished(ProgressFixture.Scenario());
        observer.RunFinished(ProgressFixture.Run());
        var text = output.ToString();
        Assert.Contains("run run-1: 1 scenario(s)", text);
        Assert.Contains("[outlier-ejection [no-outlier-detection]] 00:05 phase steady", text);
        Assert.Contains("fault kill-a (replica-kill) injected on eu-west-a-1", text);
        Assert.Contains("fault kill-a reverted", text);
        Assert.Contains("FAIL  outlier-ejection  2 assertion(s): 1 pass, 1 fail · p95 11.9 ms · 99.8/s · 30.0 s · failing: no failures", text);
        Assert.EndsWith("run run-1: FAIL · 1 scenario(s), 1 failing\n", text.ReplaceLineEndings("\n"));
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\r', text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Window_LateWindowOfAnEarlierPhase_KeepsTheCurrentPhase()
    {
        var time = new FakeTimeProvider();
        var output = new StringWriter();
        var observer = new PlainProgressObserver(output, time, new ProgressOptions { Interval = TimeSpan.FromSeconds(1) });
        observer.ScenarioStarted("s", null, TimeSpan.Zero);
        observer.PhaseStarted("s", "steady", TimeSpan.FromSeconds(2));
        time.Advance(TimeSpan.FromSeconds(3));
        observer.Window("s", ProgressFixture.Window(1, 0, 5) with { Phase = "warmup" });
        Assert.Contains("phase=steady", output.ToString());
    }

    [Fact]
    public void Window_UnknownScenario_IsTrackedInsteadOfThrowing()
    {
        var time = new FakeTimeProvider();
        var output = new StringWriter();
        var observer = new PlainProgressObserver(output, time, new ProgressOptions { Interval = TimeSpan.FromSeconds(1) });
        time.Advance(TimeSpan.FromSeconds(2));
        observer.Window("late", ProgressFixture.Window(0, 0, 5));
        time.Advance(TimeSpan.FromSeconds(2));
        observer.Window("late", ProgressFixture.Window(1, 0, 5));
        Assert.Contains("[late] 00:02 phase=steady rate=100.0/s errors=0 p95=5.0 ms", output.ToString());
    }
}
