using IndexForge.Resilience.Mesh.Config;
using IndexForge.Resilience.Mesh.LoadBalancing;
using IndexForge.Resilience.Mesh.Outlier;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IndexForge.Resilience.Mesh.Tests.LoadBalancing;

public class ClusterLoadBalancerTests
{
    private const int Picks = 20_000;

    private static (ClusterLoadBalancer Lb, OutlierDetector Detector) Build(LbPolicy policy, int panicThreshold = 0, bool failover = true)
    {
        var plan = LocalityPlanner.Plan(LocalityPlannerTests.SixReplicas, new MeshLocality("us-west"), new Dictionary<string, string>(),
            new LocalityLbSetting { Failover = [new LocalityFailover("us-west", "us-east")] }, outlierDetection: failover);
        var lb = new ClusterLoadBalancer(plan, policy, panicThreshold, new MeshRandom(42));
        OutlierDetector? detector = null;
        detector = new OutlierDetector(new OutlierDetectorSettings { MaxEjectionPercent = 100 },
            LocalityPlannerTests.SixReplicas.Select(e => e.Id).ToArray(), new FakeTimeProvider(),
            onHealthChanged: () => lb.UpdateHealth(h => detector!.IsEjected(h)));
        return (lb, detector);
    }

    private static double[] Shares(ClusterLoadBalancer lb)
    {
        var counts = new int[6];
        for (var i = 0; i < Picks; i++) counts[lb.Choose()]++;
        return counts.Select(c => c / (double)Picks).ToArray();
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(1, 0.07)]
    [InlineData(2, 0.54)]
    [InlineData(3, 1.0)]
    public void Choose_UsWestReplicasEjected_UsEastShareFollowsPriorityLoad(int ejected, double expectedUsEast)
    {
        var (lb, detector) = Build(LbPolicy.RoundRobin);
        for (var h = 0; h < ejected; h++)
            for (var i = 0; i < 5; i++) detector.ReportHttpStatus(h, 503);

        var shares = Shares(lb);

        Assert.Equal(expectedUsEast, shares[3..].Sum(), 0.015);
        for (var h = 0; h < ejected; h++) Assert.Equal(0, shares[h]); // ejected hosts get nothing
        if (ejected < 3) Assert.Equal((1 - expectedUsEast) / (3 - ejected), shares[ejected], 0.02);
    }

    [Fact]
    public void Choose_PanicThresholdReached_UsesEjectedHostsOfThePriorityToo()
    {
        // Two of three ejected in both regions: health 46 + 46 < 100 and 33% < 50% in each priority,
        // so every priority panics: load by host counts, and ejected hosts take their share again.
        var (lb, detector) = Build(LbPolicy.RoundRobin, panicThreshold: 50);
        foreach (var h in (int[])[0, 1, 3, 4])
            for (var i = 0; i < 5; i++) detector.ReportHttpStatus(h, 500);
        var shares = Shares(lb);
        Assert.Equal([true, true], lb.PriorityLoad.Panic);
        Assert.All(shares, s => Assert.Equal(1 / 6.0, s, 0.015));

        var (noPanic, d2) = Build(LbPolicy.RoundRobin, panicThreshold: 0); // negative control: Istio's default
        foreach (var h in (int[])[0, 1, 3, 4])
            for (var i = 0; i < 5; i++) d2.ReportHttpStatus(h, 500);
        var healthyOnly = Shares(noPanic);
        Assert.Equal(0, healthyOnly[0]);
        Assert.Equal(0.5, healthyOnly[2], 0.015);
    }

    [Fact]
    public void Choose_EverythingEjectedWithoutPanic_NoHost()
    {
        var (lb, detector) = Build(LbPolicy.LeastRequest);
        for (var h = 0; h < 6; h++)
            for (var i = 0; i < 5; i++) detector.ReportHttpStatus(h, 500);
        Assert.Equal(-1, lb.Choose());
    }

    [Fact]
    public void Choose_RoundRobin_SpreadsEvenlyInOrder()
    {
        // One priority without locality weighting (no outlier detection, so no failover): a plain rotation.
        var (lb, _) = Build(LbPolicy.RoundRobin, failover: false);
        var first = Enumerable.Range(0, 6).Select(_ => lb.Choose()).ToArray();
        Assert.Equal(6, first.Distinct().Count());
        Assert.Equal(first, Enumerable.Range(0, 6).Select(_ => lb.Choose()).ToArray());
    }

    [Fact]
    public void Choose_LeastRequest_AvoidsTheBusyHost()
    {
        var (lb, _) = Build(LbPolicy.LeastRequest, failover: false);
        for (var i = 0; i < 50; i++) lb.RequestStarted(0);
        var counts = new int[6];
        for (var i = 0; i < 6000; i++) counts[lb.Choose()]++;
        // Two random choices among six: the busy host wins only when both draws are it (1/36).
        Assert.Equal(6000 / 36.0, counts[0], 6000 * 0.015);
        Assert.Equal((6000 - 6000 / 36.0) / 5, counts[5], 6000 * 0.03);
    }

    [Fact]
    public void Choose_SameSeed_SameSequence()
    {
        var (a, _) = Build(LbPolicy.Random);
        var (b, _) = Build(LbPolicy.Random);
        Assert.Equal(Enumerable.Range(0, 100).Select(_ => a.Choose()), Enumerable.Range(0, 100).Select(_ => b.Choose()));
    }

    [Fact]
    public void Choose_PreviousHostsPredicate_PrefersAHostNotTriedYet()
    {
        var (lb, _) = Build(LbPolicy.Random);
        // Hosts 0 and 1 tried: a pick lands on them with 2/3 chance; five re-picks leave (2/3)^5 ≈ 13%.
        var repeats = Enumerable.Range(0, 3000).Count(_ => lb.Choose(attempted: 0b011, maxSelectionAttempts: 5) < 2);
        Assert.Equal(3000 * Math.Pow(2 / 3.0, 5), repeats, 3000 * 0.03);
        var withoutPredicate = Enumerable.Range(0, 3000).Count(_ => lb.Choose(attempted: 0b011, maxSelectionAttempts: 1) < 2);
        Assert.Equal(2000, withoutPredicate, 3000 * 0.04);
    }
}
