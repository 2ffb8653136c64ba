using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Kubernetes.Halt;
using Xunit;

namespace IndexForge.Resilience.Kubernetes.Tests.Halt;

public sealed class SteadyStateGuardTests
{
    private static WindowStats Window(int i, long completed, long succeeded, double p95Ms = 10) => new()
    {
        Index = i, Start = TimeSpan.FromSeconds(i), Length = TimeSpan.FromSeconds(1),
        Completed = completed, Succeeded = succeeded, Failed = completed - succeeded,
        Latency = new LatencySummary(completed, 1, 5, 8, p95Ms, p95Ms, p95Ms, 5),
    };

    [Theory]
    [InlineData("success-rate<0.5", "success-rate", "<", 0.5, 0)]
    [InlineData("p95>2s for 10s", "p95", ">", 2000, 10)]
    [InlineData("p99 >= 750ms for 1m", "p99", ">=", 750, 60)]
    [InlineData("error-rate>0.2 for 5s", "error-rate", ">", 0.2, 5)]
    [InlineData("p50>40", "p50", ">", 40, 0)]
    public void Parse_Grammar_Reads(string text, string metric, string op, double threshold, int forSeconds)
    {
        var c = Assert.Single(HaltCondition.ParseAll(text));
        Assert.Equal((metric, op, threshold, TimeSpan.FromSeconds(forSeconds)), (c.Metric, c.Operator, c.Threshold, c.For));
    }

    [Fact]
    public void Parse_BadParts_AllReportedTogether()
    {
        var e = Assert.Throws<FormatException>(() => HaltCondition.ParseAll("latency>1s, success-rate<2, p95"));
        Assert.Contains("unknown metric 'latency'", e.Message);
        Assert.Contains("fraction", e.Message);
        Assert.Contains("'p95' is not", e.Message);
    }

    [Fact]
    public void Observe_BreachShorterThanFor_DoesNotHalt_SustainedBreachHalts()
    {
        using var guard = SteadyStateGuard.Parse("success-rate<0.5 for 3s");
        Assert.False(guard.Observe(Window(0, 100, 10)));
        Assert.False(guard.Observe(Window(1, 100, 10)));
        Assert.False(guard.Observe(Window(2, 100, 90))); // recovered: the breach must start over
        Assert.False(guard.Observe(Window(3, 100, 10)));
        Assert.False(guard.Observe(Window(4, 100, 10)));
        Assert.False(guard.Token.IsCancellationRequested);
        Assert.True(guard.Observe(Window(5, 100, 10)));
        Assert.True(guard.Token.IsCancellationRequested);
        Assert.Contains("success-rate<0.5 for 3s held for 3s", guard.Reason);
    }

    [Fact]
    public void Observe_LatencyBound_HaltsOnFirstWindowWithoutFor()
    {
        using var guard = SteadyStateGuard.Parse("p95>2s");
        Assert.False(guard.Observe(Window(0, 10, 10, p95Ms: 1999)));
        Assert.True(guard.Observe(Window(1, 10, 10, p95Ms: 2001)));
    }

    [Fact]
    public void Observe_PauseWindows_NeitherBreachNorClear()
    {
        using var guard = SteadyStateGuard.Parse("success-rate<0.5 for 2s");
        Assert.False(guard.Observe(Window(0, 10, 0)));
        Assert.False(guard.Observe(Window(1, 0, 0)));
        Assert.True(guard.Observe(Window(2, 10, 0)));
    }

    [Fact]
    public void Observe_HealthyRun_NeverHalts()
    {
        using var guard = SteadyStateGuard.Parse("success-rate<0.5, p95>2s");
        for (var i = 0; i < 100; i++) Assert.False(guard.Observe(Window(i, 100, 99, 50)));
        Assert.Null(guard.Reason);
    }
}
