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

    [Fact]
    public void Evaluate_EmptyPhase_FailsAsUnmeasured()
    {
        var f = new AssertionFixture().Windows(3, 200, Replicas, "direct").Windows(3, 0, Replicas, "mesh");
        var r = Evaluate(Options(2), f.Context());
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("completed no request", r.Message);
    }
}
