using IndexForge.Resilience.Core.Assertions;
using IndexForge.Resilience.Core.Assertions.LatencyOverhead;
using IndexForge.Resilience.Core.Results;
using Xunit;
using static IndexForge.Resilience.Core.Tests.Assertions.AssertionFixture;

namespace IndexForge.Resilience.Core.Tests.Assertions.LatencyOverhead;

public class LatencyOverheadEvaluatorTests
{
    private static LatencyOverheadOptions Options(double budgetMs) => new()
    {
        Name = "overhead", Type = AssertionTypes.LatencyOverhead, Baseline = "direct", Mesh = "mesh", Percentile = 95,
        Budget = TimeSpan.FromMilliseconds(budgetMs),
    };

    private static AssertionFixture Run(long meshMicros) =>
        new AssertionFixture().Windows(3, 200, Replicas, "direct", latencyMicros: 1000).Windows(3, 200, Replicas, "mesh", latencyMicros: meshMicros);

    [Fact]
    public void Evaluate_OverheadWithinBudget_PassesWithBothDistributions()
    {
        var r = Evaluate(Options(2), Run(2500).Context());
        Assert.Equal(Verdict.Pass, r.Verdict);
        Assert.InRange(r.Figures["overheadMs"], 1.45, 1.55);
        Assert.Equal(["direct (direct)", "mesh (mesh)"], r.Distributions.Select(d => d.Name));
        Assert.Contains(r.Distributions[1].Points, p => p.Percentile == 95 && p.Milliseconds > 2.5);
    }

    [Fact]
    public void Evaluate_OverheadOverBudget_Fails()
    {
        var r = Evaluate(Options(2), Run(4000).Context());
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("over the 2ms budget", r.Message);
    }

    [Theory]
    [InlineData(1200, "Error")] // from the actual sends the mesh adds 0.2 ms: the generator's delay explains the failure
    [InlineData(4000, "Fail")]  // negative control: slow from the actual sends too, so the failure stands
    public void Evaluate_SaturatedGenerator_FailureOnlyStandsWhenTheActualSendsFailToo(long meshServiceMicros, string expected)
    {
        var f = new AssertionFixture { SaturationReason = "scheduler lag p99 805 ms" }
            .Windows(3, 200, Replicas, "direct", latencyMicros: 1000, serviceMicros: 1000)
            .Windows(3, 200, Replicas, "mesh", latencyMicros: 750_000, serviceMicros: meshServiceMicros);
        var r = Evaluate(Options(2), f.Context());
        Assert.Equal(Enum.Parse<Verdict>(expected), r.Verdict);
        if (r.Verdict == Verdict.Error) Assert.Contains("load generator saturated", r.Message);
        // Not saturated, the same figures are a plain failure.
        f.SaturationReason = null;
        Assert.Equal(Verdict.Fail, Evaluate(Options(2), f.Context()).Verdict);
    }

    [Fact]
    public void Evaluate_EmptyPhase_FailsAsUnmeasured()
    {
        var f = new AssertionFixture().Windows(3, 200, Replicas, "direct").Windows(3, 0, Replicas, "mesh");
        var r = Evaluate(Options(2), f.Context());
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("completed no request", r.Message);
    }
}
