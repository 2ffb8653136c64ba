using IndexForge.Resilience.Mesh.Config;
using IndexForge.Resilience.Mesh.LoadBalancing;
using Xunit;

namespace IndexForge.Resilience.Mesh.Tests.LoadBalancing;

public class LocalityPlannerTests
{
    internal static readonly MeshEndpoint[] SixReplicas =
    [
        new("us-west-1", "us-west", "us-west-1a", new Uri("https://127.0.0.11:1")),
        new("us-west-2", "us-west", "us-west-1b", new Uri("https://127.0.0.12:1")),
        new("us-west-3", "us-west", "us-west-1c", new Uri("https://127.0.0.13:1")),
        new("us-east-1", "us-east", "us-east-1a", new Uri("https://127.0.0.21:1")),
        new("us-east-2", "us-east", "us-east-1b", new Uri("https://127.0.0.22:1")),
        new("us-east-3", "us-east", "us-east-1c", new Uri("https://127.0.0.23:1")),
    ];

    private static readonly MeshLocality Caller = new("us-west");
    private static readonly Dictionary<string, string> NoLabels = new();
    private static readonly LocalityLbSetting Failover = new() { Failover = [new LocalityFailover("us-west", "us-east")] };

    [Fact]
    public void Plan_FailoverWithOutlierDetection_CallerRegionFirstThenFailoverRegion()
    {
        var plan = LocalityPlanner.Plan(SixReplicas, Caller, NoLabels, Failover, outlierDetection: true);
        Assert.Equal([0, 0, 0, 1, 1, 1], plan.Priorities);
        Assert.True(plan.LocalityWeighted);
    }

    [Fact]
    public void Plan_FailoverWithoutOutlierDetection_OnePriorityAsIstio()
    {
        var plan = LocalityPlanner.Plan(SixReplicas, Caller, NoLabels, Failover, outlierDetection: false);
        Assert.Equal([0, 0, 0, 0, 0, 0], plan.Priorities);
        Assert.False(plan.LocalityWeighted);
    }

    [Fact]
    public void Plan_NoLocalitySettingButOutlierDetection_MeshDefaultFailsOverByRegion()
    {
        Assert.Equal([0, 0, 0, 1, 1, 1], LocalityPlanner.Plan(SixReplicas, Caller, NoLabels, null, outlierDetection: true).Priorities);
        Assert.Equal([0, 0, 0, 0, 0, 0], LocalityPlanner.Plan(SixReplicas, Caller, NoLabels, null, outlierDetection: true, meshLocalityLbEnabled: false).Priorities);
        Assert.Equal([0, 0, 0, 0, 0, 0], LocalityPlanner.Plan(SixReplicas, Caller, NoLabels, new LocalityLbSetting { Enabled = false }, outlierDetection: true).Priorities);
    }

    [Fact]
    public void Plan_CallerWithZone_SameZoneBeforeOtherZonesBeforeOtherRegions()
    {
        var plan = LocalityPlanner.Plan(SixReplicas, new MeshLocality("us-west", "us-west-1a"), NoLabels, Failover, outlierDetection: true);
        Assert.Equal([0, 1, 1, 2, 2, 2], plan.Priorities);
    }

    [Fact]
    public void Plan_ThirdRegionNotTheFailoverTarget_ComesLast()
    {
        MeshEndpoint[] endpoints = [.. SixReplicas, new("eu-west-1", "eu-west", "eu-west-1a", new Uri("https://127.0.0.31:1"))];
        var plan = LocalityPlanner.Plan(endpoints, Caller, NoLabels, Failover, outlierDetection: true);
        Assert.Equal([0, 0, 0, 1, 1, 1, 2], plan.Priorities);
        var toEu = new LocalityLbSetting { Failover = [new LocalityFailover("us-west", "eu-west")] };
        Assert.Equal([0, 0, 0, 2, 2, 2, 1], LocalityPlanner.Plan(endpoints, Caller, NoLabels, toEu, outlierDetection: true).Priorities);
    }

    [Fact]
    public void Plan_FailoverPriorityLabels_MatchingPrefixDecidesPriority()
    {
        var setting = new LocalityLbSetting { FailoverPriority = [LocalityLabels.Region, LocalityLabels.Zone] };
        var caller = new Dictionary<string, string> { [LocalityLabels.Region] = "us-west", [LocalityLabels.Zone] = "us-west-1b" };
        var plan = LocalityPlanner.Plan(SixReplicas, Caller, caller, setting, outlierDetection: true);
        Assert.Equal([1, 0, 1, 2, 2, 2], plan.Priorities);
    }

    [Fact]
    public void Plan_Distribute_WeighsListedLocalitiesAndDropsOthers()
    {
        var setting = new LocalityLbSetting
        {
            Distribute = [new LocalityDistribute("us-west/*", [new("us-west/*", 80u), new("us-east/us-east-1a", 20u)])],
        };
        var plan = LocalityPlanner.Plan(SixReplicas, Caller, NoLabels, setting, outlierDetection: true);
        Assert.True(plan.LocalityWeighted);
        Assert.Equal([0, 0, 0, 0, 0, 0], plan.Priorities);
        // Each us-west locality: ceil(1 × 80 / 3) = 27; us-east-1a: 20; the rest dropped.
        Assert.Equal([27, 27, 27, 20, 0, 0], plan.Weights);
    }
}
