using IndexForge.Resilience.Core.Assertions;
using IndexForge.Resilience.Core.Assertions.OutlierEjected;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Core.Targets;
using Xunit;
using static IndexForge.Resilience.Core.Tests.Assertions.AssertionFixture;

namespace IndexForge.Resilience.Core.Tests.Assertions.OutlierEjected;

public class OutlierEjectedEvaluatorTests
{
    private const string Bad = "us-west-2";
    private const string Enforced = OutlierEjectedConstants.EnforcedCounter;

    private static OutlierEjectedOptions Options(bool expectReturn = true, TimeSpan? returnWithin = null, int? withinRequests = null) => new()
    {
        Name = "ejected", Type = AssertionTypes.OutlierEjected, Replica = Bad, Within = TimeSpan.FromSeconds(2),
        ExpectReturn = expectReturn, ReturnWithin = returnWithin ?? TimeSpan.FromSeconds(3), WithinRequests = withinRequests,
    };

    /// <summary>5 s healthy, fault 5..15 s: one window still reaching the bad replica, then none until 15 s, then back.</summary>
    private static AssertionFixture Ejection() => new AssertionFixture()
        .Windows(5, 60, Replicas)
        .Windows(1, 60, Replicas, failed: 5)
        .Windows(9, 60, AllBut(Bad))
        .Windows(5, 60, Replicas)
        .Fault("http-error", "replica-http-error", Bad, 5, 15)
        .Event(5.4, TargetEventKinds.Ejected, Bad)
        .Scrape(1, (Enforced, 0)).Scrape(10, (Enforced, 1)).Scrape(19, (Enforced, 1));

    [Fact]
    public void Evaluate_ShareFallsToZeroAndReturns_Passes()
    {
        var r = Evaluate(Options(), Ejection().Context());
        Assert.Equal(Verdict.Pass, r.Verdict);
        Assert.Equal(1, r.Figures["secondsToEjection"]);
        Assert.Equal(1, r.Figures["ejectionsEnforcedDelta"]);
        Assert.Equal(0, r.Figures["secondsToReturn"]);
        Assert.Empty(r.Findings);
    }

    [Fact]
    public void Evaluate_ShareNeverReachesZero_Fails()
    {
        var f = new AssertionFixture().Windows(5, 60, Replicas).Windows(15, 60, Replicas, failed: 5)
            .Fault("http-error", "replica-http-error", Bad, 5, 15);
        var r = Evaluate(Options(), f.Context());
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("never ejected", r.Message);
        Assert.Contains("no ejection", r.Message);
    }

    [Fact]
    public void Evaluate_MeshRefusedEjection_FailsWithOverflowFinding()
    {
        var f = new AssertionFixture().Windows(5, 60, Replicas).Windows(15, 60, Replicas, failed: 5)
            .Fault("http-error", "replica-http-error", Bad, 5, 15)
            .Event(5.2, TargetEventKinds.EjectionOverflow, Bad, "consecutive 5xx detected but not ejected: 16.7% of 6 hosts would be ejected, over maxEjectionPercent 10")
            .Scrape(1, (OutlierEjectedConstants.OverflowCounter, 0)).Scrape(10, (OutlierEjectedConstants.OverflowCounter, 3));
        var r = Evaluate(Options(), f.Context());
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("refused to eject", r.Message);
        var finding = Assert.Single(r.Findings);
        Assert.Equal(OutlierEjectedEvaluator.OverflowFinding, finding.Id);
        Assert.Contains("maxEjectionPercent 10 with 6 hosts: 100×1/6 = 16.7% > 10%, Envoy refuses every ejection", finding.Cause);
        Assert.Contains("at least 17", finding.Fix);
    }

    [Fact]
    public void Evaluate_TrafficStopsWithoutEjection_Fails()
    {
        var f = Ejection();
        f.Events.Clear();
        f.Series.Clear();
        f.Scrape(1, (Enforced, 0)).Scrape(19, (Enforced, 0));
        var r = Evaluate(Options(), f.Context());
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("recorded no ejection", r.Message);
        Assert.Contains("did not increase", r.Message);
    }

    [Fact]
    public void Evaluate_EjectedTooLate_Fails()
    {
        var f = new AssertionFixture().Windows(5, 60, Replicas).Windows(4, 60, Replicas, failed: 5).Windows(6, 60, AllBut(Bad)).Windows(5, 60, Replicas)
            .Fault("http-error", "replica-http-error", Bad, 5, 15).Event(8.5, TargetEventKinds.Ejected, Bad);
        var r = Evaluate(Options(), f.Context());
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("ejected only after 4.0s", r.Message);
    }

    [Fact]
    public void Evaluate_WithinRequestsExceeded_Fails()
    {
        var r = Evaluate(Options(withinRequests: 5), Ejection().Context());
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("requests (bound 5 requests)", r.Message);
        Assert.Equal(Verdict.Pass, Evaluate(Options(withinRequests: 20), Ejection().Context()).Verdict);
    }

    [Fact]
    public void Evaluate_TrafficLeaksBackDuringFaultWithoutUnejection_Fails()
    {
        var f = new AssertionFixture().Windows(5, 60, Replicas).Windows(1, 60, Replicas, failed: 5).Windows(3, 60, AllBut(Bad))
            .Windows(1, 60, Replicas).Windows(5, 60, AllBut(Bad)).Windows(5, 60, Replicas)
            .Fault("http-error", "replica-http-error", Bad, 5, 15).Event(5.4, TargetEventKinds.Ejected, Bad);
        var r = Evaluate(Options(), f.Context());
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("without being un-ejected", r.Message);

        f.Event(9.2, TargetEventKinds.Unejected, Bad).Event(9.5, TargetEventKinds.Ejected, Bad);
        Assert.Equal(Verdict.Pass, Evaluate(Options(), f.Context()).Verdict);
    }

    [Fact]
    public void Evaluate_NeverReturns_Fails()
    {
        var f = new AssertionFixture().Windows(5, 60, Replicas).Windows(1, 60, Replicas, failed: 5).Windows(14, 60, AllBut(Bad))
            .Fault("http-error", "replica-http-error", Bad, 5, 15).Event(5.4, TargetEventKinds.Ejected, Bad);
        var r = Evaluate(Options(returnWithin: TimeSpan.FromSeconds(2)), f.Context());
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("never carried traffic again", r.Message);
        Assert.Equal(Verdict.Pass, Evaluate(Options(expectReturn: false), f.Context()).Verdict);
    }

    [Fact]
    public void Evaluate_LoadEndsBeforeReturnBound_IsAnErrorNotAPass()
    {
        var f = new AssertionFixture().Windows(5, 60, Replicas).Windows(1, 60, Replicas, failed: 5).Windows(11, 60, AllBut(Bad))
            .Fault("http-error", "replica-http-error", Bad, 5, 15).Event(5.4, TargetEventKinds.Ejected, Bad);
        var r = Evaluate(Options(returnWithin: TimeSpan.FromSeconds(10)), f.Context());
        Assert.Equal(Verdict.Error, r.Verdict);
        Assert.Contains("before the return bound", r.Message);
    }

    [Fact]
    public void MeshOutlierSettings_ReadsDestinationRule_AndDefaultsToEnvoy()
    {
        var dir = Directory.CreateTempSubdirectory("outlier-settings");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "dr.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                spec:
                  trafficPolicy:
                    outlierDetection:
                      consecutive5xxErrors: 1
                      interval: 500ms
                      baseEjectionTime: 5s
                      maxEjectionPercent: 10
                """);
            var s = MeshOutlierSettings.Read(dir.FullName);
            Assert.Equal(TimeSpan.FromSeconds(5), s.BaseEjectionTime);
            Assert.Equal(TimeSpan.FromMilliseconds(500), s.Interval);
            Assert.Equal(10, s.MaxEjectionPercent);
            Assert.True(s.Found);
            Assert.Equal(TimeSpan.FromSeconds(30), MeshOutlierSettings.Read(Path.Combine(dir.FullName, "missing")).BaseEjectionTime);
        }
        finally { dir.Delete(true); }
    }
}
