using IndexForge.Resilience.Core.Assertions;
using IndexForge.Resilience.Core.Assertions.Failover;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Results;
using Xunit;
using static IndexForge.Resilience.Core.Tests.Assertions.AssertionFixture;

namespace IndexForge.Resilience.Core.Tests.Assertions.Failover;

public class FailoverEvaluatorTests
{
    private static readonly string[] West = ["us-west-1", "us-west-2", "us-west-3"];
    private static readonly string[] East = ["us-east-1", "us-east-2", "us-east-3"];

    private static FailoverOptions Options() => new()
    {
        Name = "failover", Type = AssertionTypes.Failover, From = "us-west", To = "us-east", Within = TimeSpan.FromSeconds(3),
        MinShare = 0.95, MinSuccessRate = 0.99,
    };

    [Fact]
    public void Evaluate_TrafficMovesWithinBound_Passes()
    {
        var f = new AssertionFixture().Windows(5, 100, West).Windows(1, 100, West, failed: 60).Windows(1, 100, East, failed: 3).Windows(8, 100, East)
            .Fault("west-down", "region-outage", "us-west", 5, 15);
        var r = Evaluate(Options(), f.Context());
        Assert.Equal(Verdict.Pass, r.Verdict);
        Assert.Equal(2, r.Figures["secondsToShare"]);
        Assert.Equal(1, r.Figures["successRateAfterBound"]);
    }

    [Fact]
    public void Evaluate_TrafficNeverMoves_FailsWithFinding()
    {
        var f = new AssertionFixture().Windows(5, 100, West).Windows(10, 100, West, failed: 100, error: ErrorClass.ConnectionRefused)
            .Fault("west-down", "region-outage", "us-west", 5, 15);
        var r = Evaluate(Options(), f.Context());
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("never failed over", r.Message);
        Assert.Equal(FailoverEvaluator.NeverMovedFinding, Assert.Single(r.Findings).Id);
        Assert.Contains("outlierDetection", r.Findings[0].Cause);
    }

    [Fact]
    public void Evaluate_MovesTooLate_Fails()
    {
        var f = new AssertionFixture().Windows(5, 100, West).Windows(5, 100, West, failed: 50).Windows(5, 100, East)
            .Fault("west-down", "region-outage", "us-west", 5, 15);
        var r = Evaluate(Options(), f.Context());
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("only in the window starting 5.0s", r.Message);
    }

    [Fact]
    public void Evaluate_FailuresAfterBound_Fails()
    {
        var f = new AssertionFixture().Windows(5, 100, West).Windows(1, 100, East).Windows(9, 100, East, failed: 4)
            .Fault("west-down", "zone-outage", "us-westa", 5, 15);
        var r = Evaluate(Options(), f.Context());
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("success rate after the bound 96%", r.Message);
    }

    [Fact]
    public void Evaluate_NoFaultOnRegion_IsAnError()
    {
        var f = new AssertionFixture().Windows(5, 100, East).Fault("east-down", "region-outage", "us-east", 1, 3);
        Assert.Equal(Verdict.Error, Evaluate(Options(), f.Context()).Verdict);
    }
}
