using System.Text.RegularExpressions;
using IndexForge.Resilience.Bench.Anchors;
using IndexForge.Resilience.Bench.Sections;
using Xunit;

namespace IndexForge.Resilience.Bench.Tests;

public sealed class BenchRunnerTests
{
    /// <summary>Finds no tool at all: every anchor is missing, and nginx too (Kestrel is the target).</summary>
    internal sealed class NoTools : ToolLocator
    {
        public override string? Find(string tool) => null;
    }

    private sealed class FixedSection(string name, bool? met) : IBenchSection
    {
        public string Name => name;
        public string Title => "fixed " + name;
        public Task<IReadOnlyList<BenchGoal>> RunAsync(BenchContext context, CancellationToken cancellationToken)
        {
            context.Output.WriteLine($"  ran against {context.Target.Address}");
            return Task.FromResult<IReadOnlyList<BenchGoal>>([new BenchGoal(name, "goal of " + name, met, "observed")]);
        }
    }

    [Fact]
    public async Task RunAsync_UnknownSection_Exit2AndNamesTheKnownOnes()
    {
        var output = new StringWriter();

        var exit = await new BenchRunner(tools: new NoTools()).RunAsync(new BenchOptions { Sections = ["warp-speed"] }, output, CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.Contains("unknown section(s) warp-speed; known: memory, throughput, rate", output.ToString());
    }

    [Fact]
    public async Task RunAsync_AddedSection_RunsAgainstTheSharedTargetAndReportsItsGoal()
    {
        var output = new StringWriter();
        var runner = new BenchRunner([.. BenchRunner.DefaultSections, new FixedSection("mesh-overhead", true)], new NoTools());

        var exit = await runner.RunAsync(new BenchOptions { Sections = ["mesh-overhead"] }, output, CancellationToken.None);

        var text = output.ToString();
        Assert.Equal(0, exit);
        Assert.Contains("nginx is not installed", text);
        Assert.Contains("[mesh-overhead] fixed mesh-overhead", text);
        Assert.Contains("ran against http://127.0.0.1:", text);
        Assert.Contains("met         goal of mesh-overhead: observed", text);
        Assert.DoesNotContain("[throughput]", text);
    }

    [Fact]
    public async Task RunAsync_MissedGoal_Exit1OnlyWhenAskedToFail()
    {
        var runner = new BenchRunner([new FixedSection("a", false)], new NoTools());

        var reported = await runner.RunAsync(new BenchOptions(), new StringWriter(), CancellationToken.None);
        var enforced = await runner.RunAsync(new BenchOptions { FailOnMissedGoal = true }, new StringWriter(), CancellationToken.None);

        Assert.Equal((0, 1), (reported, enforced));
    }

    [Fact]
    public void Constructor_TwoSectionsWithOneName_Refused()
    {
        Assert.Throws<ArgumentException>(() => new BenchRunner([new FixedSection("a", true), new FixedSection("a", true)]));
    }

    [Fact]
    public async Task RunAsync_ThroughputWithoutAnchors_ReportsThemSkippedNeverZero()
    {
        var output = new StringWriter();

        await new BenchRunner(tools: new NoTools()).RunAsync(
            new BenchOptions { Sections = [BenchSections.Throughput], Quick = true, Duration = TimeSpan.FromSeconds(1), Connections = 4 }, output, CancellationToken.None);

        var text = output.ToString();
        Assert.Contains("wrk     skipped (wrk not installed)", text);
        Assert.Contains("hey     skipped (hey not installed)", text);
        Assert.Contains("not checked engine throughput ≥ 1.0× hey: skipped (hey not installed)", text);
        Assert.DoesNotContain(" 0/s", text);
        Assert.Matches(@"engine\s+[\d,]+/s", text);
    }

    [Fact]
    public async Task RunAsync_RateAndMemorySections_PrintTheirFiguresAgainstKestrel()
    {
        var output = new StringWriter();
        var options = new BenchOptions
        {
            Sections = [BenchSections.RateAccuracy, BenchSections.Memory],
            Duration = TimeSpan.FromSeconds(1),
            Rates = [200],
            MemoryRate = 100,
            MemoryShort = TimeSpan.FromSeconds(1),
            MemoryLong = TimeSpan.FromSeconds(2),
            Connections = 4,
        };

        var exit = await new BenchRunner(tools: new NoTools()).RunAsync(options, output, CancellationToken.None);

        var text = output.ToString();
        Assert.Equal(0, exit);
        Assert.False(text.Contains("section failed", StringComparison.Ordinal), text);
        Assert.Matches(@"200/s\s+200\.0/s\s+\+0\.00%\s+0", text);
        Assert.Contains("rate accuracy at 5,000/s: skipped (rate not in --rates)", text);
        Assert.Contains("the target runs in this process", text);
        Assert.True(Regex.IsMatch(text, @"growth 1 s → 2 s: peak RSS [+-]\d.*peak managed heap [+-]\d.*RSS after a full GC [+-]\d"), text);
    }
}
