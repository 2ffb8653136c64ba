using IndexForge.Resilience.Mesh.LoadBalancing;
using Xunit;

namespace IndexForge.Resilience.Mesh.Tests.LoadBalancing;

public class PriorityLoadTests
{
    [Theory]
    [InlineData(3, 100, 0)]  // all healthy
    [InlineData(2, 93, 7)]   // 66.7% × 1.4 = 93 (integer)
    [InlineData(1, 46, 54)]  // 33.3% × 1.4 = 46
    [InlineData(0, 0, 100)]  // all of P0 down
    public void Compute_UsWestReplicasUnhealthy_SpillsByOverprovisioningFactor(int healthyInP0, int p0, int p1)
    {
        var r = PriorityLoad.Compute([(healthyInP0, 3), (3, 3)], panicThresholdPercent: 0);
        Assert.Equal([p0, p1], r.Load);
        Assert.DoesNotContain(true, r.Panic);
    }

    [Fact]
    public void Compute_SeventyTwoPercentHealthy_KeepsAllTraffic()
    {
        Assert.Equal([100, 0], PriorityLoad.Compute([(72, 100), (10, 10)], 0).Load);
        Assert.Equal([99, 1], PriorityLoad.Compute([(71, 100), (10, 10)], 0).Load);
    }

    [Fact]
    public void Compute_LowerPrioritiesUnhealthyToo_NormalizesByTotalHealth()
    {
        // Envoy's example: health 10/20/10 without degraded hosts → normalized total 40.
        var r = PriorityLoad.Compute([(1, 14), (2, 14), (1, 14)], 0);
        Assert.Equal([10, 20, 10], r.Health);
        Assert.Equal(40, r.NormalizedTotalHealth);
        Assert.Equal([25, 50, 25], r.Load);
        Assert.Equal(100, r.Load.Sum());
    }

    [Fact]
    public void Compute_RoundingLeftover_GoesToFirstHealthyPriority()
    {
        var r = PriorityLoad.Compute([(1, 3), (1, 3), (0, 3)], 0); // health 46 + 46 = 92
        Assert.Equal([50, 50, 0], r.Load);
        var odd = PriorityLoad.Compute([(1, 7), (1, 7), (1, 7)], 0); // health 20 each, total 60 → 33 + 33 + 33 + 1
        Assert.Equal([34, 33, 33], odd.Load);
    }

    [Fact]
    public void Compute_BelowPanicThreshold_PanicsAndWithEveryPriorityInPanicFollowsHostCounts()
    {
        // health 28 + 70 = 98 < 100, so panic is possible: P0 has 20% healthy (< 50), P1 50% (not < 50).
        var r = PriorityLoad.Compute([(1, 5), (1, 2)], panicThresholdPercent: 50);
        Assert.Equal([true, false], r.Panic);
        Assert.Equal([29, 71], r.Load);

        var total = PriorityLoad.Compute([(1, 4), (0, 2)], panicThresholdPercent: 50);
        Assert.Equal([true, true], total.Panic);
        Assert.Equal([67, 33], total.Load); // 100 × 4/6 = 66 + leftover 1, 100 × 2/6 = 33
    }

    [Fact]
    public void Compute_PanicThresholdZero_NeverPanicsAndRoutesNothingWhenAllDown()
    {
        var r = PriorityLoad.Compute([(0, 3), (0, 3)], panicThresholdPercent: 0);
        Assert.Equal([false, false], r.Panic);
        Assert.Equal([100, 0], r.Load);
        var panic = PriorityLoad.Compute([(0, 3), (0, 3)], panicThresholdPercent: 50);
        Assert.Equal([true, true], panic.Panic);
        Assert.Equal([50, 50], panic.Load);
    }

    [Fact]
    public void Compute_NormalizedTotalHundred_NeverPanicsEvenBelowThreshold()
    {
        var r = PriorityLoad.Compute([(1, 3), (3, 3)], panicThresholdPercent: 50);
        Assert.Equal([false, false], r.Panic);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(93, 0)]
    [InlineData(94, 1)]
    [InlineData(100, 1)]
    public void Choose_DrawAgainstCumulativeLoad(int draw, int expected) =>
        Assert.Equal(expected, PriorityLoad.Compute([(2, 3), (3, 3)], 0).Choose(draw));
}
