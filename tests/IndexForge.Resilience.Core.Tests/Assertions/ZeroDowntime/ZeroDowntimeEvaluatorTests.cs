using IndexForge.Resilience.Core.Assertions;
using IndexForge.Resilience.Core.Assertions.ZeroDowntime;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Results;
using Xunit;
using static IndexForge.Resilience.Core.Tests.Assertions.AssertionFixture;

namespace IndexForge.Resilience.Core.Tests.Assertions.ZeroDowntime;

public class ZeroDowntimeEvaluatorTests
{
    private static ZeroDowntimeOptions Options() => new()
    {
        Name = "zero", Type = AssertionTypes.ZeroDowntime, Rotation = "rotate", Settle = TimeSpan.FromSeconds(3), AllReplicasWithin = TimeSpan.FromSeconds(5),
    };

    private static Dictionary<string, string> Details(string allAfter = "2.5") => new()
    {
        ["previousVersion"] = "1", ["newVersion"] = "2", ["verified"] = "true", ["allReplicasAfter"] = allAfter,
    };

    [Fact]
    public void Evaluate_NoFailureAndAllReplicasInTime_Passes()
    {
        var f = new AssertionFixture().Windows(12, 50, Replicas).Fault("rotate", "secret-rotation", "indexforge/search-api", 4, 4, Details());
        var r = Evaluate(Options(), f.Context());
        Assert.Equal(Verdict.Pass, r.Verdict);
        Assert.Equal(2.5, r.Figures["allReplicasAfterSeconds"]);
    }

    [Fact]
    public void Evaluate_FailedRequestInsideWindow_FailsNamingTheErrorClass()
    {
        var f = new AssertionFixture().Windows(5, 50, Replicas).Windows(1, 50, Replicas, failed: 2, error: ErrorClass.Http4xx).Windows(6, 50, Replicas)
            .Fault("rotate", "secret-rotation", "indexforge/search-api", 4, 4, Details());
        var r = Evaluate(Options(), f.Context());
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("2 failed: http-4xx 2", r.Message);
    }

    [Fact]
    public void Evaluate_FailureOutsideWindow_DoesNotCount()
    {
        var f = new AssertionFixture().Windows(1, 50, Replicas, failed: 2).Windows(11, 50, Replicas)
            .Fault("rotate", "secret-rotation", "indexforge/search-api", 4, 4, Details());
        Assert.Equal(Verdict.Pass, Evaluate(Options(), f.Context()).Verdict);
    }

    [Fact]
    public void Evaluate_SlowOrLaggingReplicas_Fail()
    {
        var slow = new AssertionFixture().Windows(12, 50, Replicas).Fault("rotate", "secret-rotation", "p", 4, 4, Details("7.0"));
        Assert.Contains("took 7.0s", Evaluate(Options(), slow.Context()).Message);
        var lagging = new AssertionFixture().Windows(12, 50, Replicas).Fault("rotate", "secret-rotation", "p", 4, 4,
            new() { ["previousVersion"] = "1", ["version"] = "2", ["verified"] = "false", ["pickedUp"] = "us-west-1:1.0s", ["notPickedUp"] = "us-east-2" });
        var r = Evaluate(Options(), lagging.Context());
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("us-east-2", r.Message);
    }

    [Fact]
    public void Evaluate_PickedUpList_GivesTheSlowestReplica()
    {
        var f = new AssertionFixture().Windows(12, 50, Replicas).Fault("rotate", "secret-rotation", "p", 4, 4,
            new() { ["previousVersion"] = "1", ["version"] = "2", ["verified"] = "true", ["pickedUp"] = "us-west-1:1.0s,us-east-1:3.2s", ["notPickedUp"] = "" });
        var r = Evaluate(Options(), f.Context());
        Assert.Equal(Verdict.Pass, r.Verdict);
        Assert.Equal(3.2, r.Figures["allReplicasAfterSeconds"], 3);
    }

    [Fact]
    public void Evaluate_FailedRotation_FailsWithItsError()
    {
        var f = new AssertionFixture().Windows(12, 50, Replicas).Fault("rotate", "secret-rotation", "p", 4, 4, [], error: "vault sealed", injected: false);
        var r = Evaluate(Options(), f.Context());
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("the rotation failed: vault sealed", r.Message);
    }
}
