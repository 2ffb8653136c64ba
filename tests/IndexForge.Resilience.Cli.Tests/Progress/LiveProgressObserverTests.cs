using IndexForge.Resilience.Cli.Progress;
using Microsoft.Extensions.Time.Testing;
using Spectre.Console;
using Xunit;

namespace IndexForge.Resilience.Cli.Tests.Progress;

public sealed class LiveProgressObserverTests
{
    [Fact]
    public async Task Live_DuringScenario_ShowsScenarioPhaseRateErrorsP95AndFaults()
    {
        var (observer, output) = Create();
        using (observer)
        {
            observer.RunStarted("run-1", 2);
            observer.ScenarioStarted("outlier-ejection", null, TimeSpan.FromSeconds(30));
            observer.PhaseStarted("outlier-ejection", "steady", TimeSpan.Zero);
            observer.FaultInjected("outlier-ejection", ProgressFixture.Fault);
            observer.Window("outlier-ejection", ProgressFixture.Window(0, 4, 12.3));
            await WaitForAsync(output, "12.3 ms");
            var text = output.ToString();
            Assert.Contains("outlier-ejection", text);
            Assert.Contains("steady", text);
            Assert.Contains("100.0/s", text);
            Assert.Contains("kill-a", text);
            Assert.Contains("0/2 scenario(s) done", text);
        }
    }

    [Fact]
    public async Task RunFinished_StopsTheDisplayAndPrintsOneLinePerScenario()
    {
        var (observer, output) = Create();
        using (observer)
        {
            observer.RunStarted("run-1", 1);
            observer.ScenarioStarted("outlier-ejection", null, TimeSpan.FromSeconds(30));
            observer.ScenarioFinished(ProgressFixture.Scenario(Core.Results.Verdict.Pass));
            observer.RunFinished(ProgressFixture.Run(Core.Results.Verdict.Pass));
            var text = output.ToString();
            Assert.Contains("PASS  outlier-ejection  2 assertion(s): 2 pass", text);
            Assert.Contains("run run-1: PASS · 1 scenario(s), 0 failing", text);
            var length = text.Length;
            await Task.Delay(300);
            Assert.Equal(length, output.ToString().Length); // nothing redraws after the end
        }
    }

    [Fact]
    public void Message_WithMarkupCharacters_IsShownLiterally()
    {
        var (observer, output) = Create();
        using (observer)
        {
            observer.RunStarted("run-[1]", 1);
            observer.Message("value [red]not markup[/]");
            observer.RunFinished(ProgressFixture.Run() with { Manifest = ProgressFixture.Run().Manifest with { RunId = "run-[1]" } });
            Assert.Contains("value [red]not markup[/]", output.ToString());
            Assert.Contains("run run-[1]: FAIL", output.ToString());
        }
    }

    private static (LiveProgressObserver Observer, StringWriter Output) Create()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 160;
        return (new LiveProgressObserver(console, new FakeTimeProvider(), new ProgressOptions { Refresh = TimeSpan.FromMilliseconds(50) }), output);
    }

    private static async Task WaitForAsync(StringWriter output, string text)
    {
        for (var i = 0; i < 100 && !output.ToString().Contains(text, StringComparison.Ordinal); i++) await Task.Delay(50);
        Assert.Contains(text, output.ToString());
    }
}
