using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Mesh.Config;
using IndexForge.Resilience.Mesh.Outlier;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IndexForge.Resilience.Mesh.Tests.Outlier;

public class OutlierDetectorTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly List<TargetEvent> _events = [];

    private OutlierDetector Detector(int hosts, OutlierDetectorSettings? settings = null) =>
        new(settings ?? new OutlierDetectorSettings(), Enumerable.Range(0, hosts).Select(i => $"h{i}").ToArray(), _clock, _events.Add);

    private static void Fail(OutlierDetector d, int host, int times, int status = 500)
    {
        for (var i = 0; i < times; i++) d.ReportHttpStatus(host, status);
    }

    [Fact]
    public void Report_FifthConsecutive5xx_EjectsInlineWithoutWaitingForASweep()
    {
        using var d = Detector(2, new OutlierDetectorSettings { MaxEjectionPercent = 50 });

        Fail(d, 0, 4);
        Assert.False(d.IsEjected(0));
        d.ReportHttpStatus(0, 500);

        Assert.True(d.IsEjected(0));
        Assert.Equal(1, d.EjectionsActive);
        Assert.Equal(1, d.EjectionsEnforcedTotal);
        var e = Assert.Single(_events);
        Assert.Equal(TargetEventKinds.Ejected, e.Kind);
        Assert.Equal("h0", e.Subject);
        Assert.Equal(_clock.GetUtcNow(), e.At);
    }

    [Fact]
    public void Report_SuccessBetweenErrors_ResetsTheCounter()
    {
        using var d = Detector(2, new OutlierDetectorSettings { MaxEjectionPercent = 50 });
        Fail(d, 0, 4);
        d.ReportHttpStatus(0, 200);
        Fail(d, 0, 4);
        Assert.False(d.IsEjected(0));
        d.ReportHttpStatus(0, 404); // a 4xx is not an error for outlier detection either
        Fail(d, 0, 4);
        Assert.False(d.IsEjected(0));
        d.ReportHttpStatus(0, 500);
        Assert.True(d.IsEjected(0));
    }

    [Fact]
    public void Report_TenPercentWithSixHosts_NeverEjectsAndCountsOverflows()
    {
        using var d = Detector(6); // Envoy's default maxEjectionPercent 10: 100 × 1 / 6 = 16.7 > 10

        Fail(d, 0, 5);
        Fail(d, 0, 5);
        Fail(d, 3, 5);

        Assert.Equal(0, d.EjectionsActive);
        Assert.Equal(0, d.EjectionsEnforcedTotal);
        Assert.Equal(3, d.EjectionsOverflow);
        Assert.All(_events, e => Assert.Equal(TargetEventKinds.EjectionOverflow, e.Kind));
        Assert.Equal(3, _events.Count);
    }

    [Fact]
    public void Report_SeventeenPercentWithSixHosts_EjectsOne()
    {
        // Negative control of the 10% case: the same failures eject once the rule allows one host in six.
        using var d = Detector(6, new OutlierDetectorSettings { MaxEjectionPercent = 17 });
        Fail(d, 0, 5);
        Fail(d, 3, 5);
        Assert.True(d.IsEjected(0));
        Assert.False(d.IsEjected(3));
        Assert.Equal(1, d.EjectionsOverflow);
    }

    [Fact]
    public void Report_ThirtyFourPercentWithThreeHosts_EjectsExactlyOne()
    {
        using var d = Detector(3, new OutlierDetectorSettings { MaxEjectionPercent = 34 });

        Fail(d, 0, 5);
        Fail(d, 1, 5);
        Fail(d, 2, 5);

        Assert.Equal(1, d.EjectionsActive);
        Assert.True(d.IsEjected(0));
        Assert.Equal(2, d.EjectionsOverflow);
    }

    [Fact]
    public void Report_503sWithDefaultSettings_GatewayDetectionIsNotEnforcedBut5xxEjects()
    {
        using var d = Detector(2, new OutlierDetectorSettings { MaxEjectionPercent = 50 });
        Fail(d, 0, 5, 503);
        Assert.True(d.IsEjected(0));
        Assert.Equal(1, d.EjectionsDetectedConsecutiveGatewayFailure);
        Assert.Equal(1, d.EjectionsDetectedConsecutive5xx);
        Assert.Equal(0, d.EjectionsEnforcedConsecutiveGatewayFailure);
        Assert.Equal(1, d.EjectionsEnforcedConsecutive5xx);
    }

    [Fact]
    public void Report_503sOverTheLimit_CountTwoOverflowsAsEnvoyDoes()
    {
        // Both the (unenforced) gateway detection and the 5xx detection reach ejectHost, whose percent check comes first.
        using var d = Detector(6);
        Fail(d, 0, 5, 503);
        Assert.Equal(2, d.EjectionsOverflow);
        d.Dispose();
        using var d500 = Detector(6);
        Fail(d500, 0, 5, 500);
        Assert.Equal(1, d500.EjectionsOverflow);
    }

    [Fact]
    public void Report_GatewayErrorsVs5xx_OnlyGatewayCodesFeedTheGatewayCounter()
    {
        var settings = new OutlierDetectorSettings { ConsecutiveGatewayFailure = 3, EnforceGatewayFailure = true, MaxEjectionPercent = 100 };
        using var d = Detector(3, settings);

        Fail(d, 0, 3, 500); // 5xx but not a gateway error
        Fail(d, 1, 1, 502);
        d.ReportHttpStatus(1, 500); // a non-gateway 5xx resets the gateway counter
        Fail(d, 1, 2, 504);
        Fail(d, 2, 3, 503);

        Assert.False(d.IsEjected(0));
        Assert.False(d.IsEjected(1));
        Assert.True(d.IsEjected(2));
        Assert.Equal(1, d.EjectionsEnforcedConsecutiveGatewayFailure);
        Fail(d, 0, 2, 500); // host 0 reaches 5 consecutive 5xx
        Assert.True(d.IsEjected(0));
    }

    [Fact]
    public void Sweep_UnejectsOnlyAtIntervalsOnceBaseTimeHasPassed()
    {
        using var d = Detector(2, new OutlierDetectorSettings { MaxEjectionPercent = 50 }); // interval 10 s, base 30 s
        _clock.Advance(TimeSpan.FromSeconds(5));
        Fail(d, 0, 5); // ejected at t = 5 s
        _clock.Advance(TimeSpan.FromSeconds(25)); // sweeps at 10, 20, 30: 25 s ejected at the t = 30 sweep
        Assert.True(d.IsEjected(0));
        _clock.Advance(TimeSpan.FromSeconds(10)); // sweep at 40: 35 s ≥ 30 s
        Assert.False(d.IsEjected(0));
        Assert.Equal(TargetEventKinds.Unejected, _events[^1].Kind);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 40, TimeSpan.Zero), _events[^1].At);
    }

    [Fact]
    public void Sweep_Unejection_ResetsTheCounters()
    {
        using var d = Detector(2, new OutlierDetectorSettings { MaxEjectionPercent = 50 });
        Fail(d, 0, 5);
        Fail(d, 0, 3); // responses of requests in flight while ejected
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.False(d.IsEjected(0));
        Fail(d, 0, 4);
        Assert.False(d.IsEjected(0));
        Assert.Equal(4, d.State(0).Consecutive5xx);
    }

    [Fact]
    public void Eject_Repeatedly_MultiplierGrowsTheEjectionTime()
    {
        using var d = Detector(2, new OutlierDetectorSettings { MaxEjectionPercent = 50 });
        Fail(d, 0, 5);
        Assert.Equal(1u, d.State(0).BackoffMultiplier);
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.False(d.IsEjected(0));

        Fail(d, 0, 5); // second ejection right after: 2 × 30 s
        Assert.Equal(2u, d.State(0).BackoffMultiplier);
        _clock.Advance(TimeSpan.FromSeconds(50));
        Assert.True(d.IsEjected(0));
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.False(d.IsEjected(0));
    }

    [Fact]
    public void Sweep_HostStaysHealthy_MultiplierDecaysByOnePerSweep()
    {
        using var d = Detector(2, new OutlierDetectorSettings { MaxEjectionPercent = 50 });
        Fail(d, 0, 5);
        _clock.Advance(TimeSpan.FromSeconds(30));
        Fail(d, 0, 5);
        _clock.Advance(TimeSpan.FromSeconds(60)); // unejected at t = 90 with multiplier 2
        Assert.False(d.IsEjected(0));
        Assert.Equal(2u, d.State(0).BackoffMultiplier);

        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1u, d.State(0).BackoffMultiplier);
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0u, d.State(0).BackoffMultiplier);
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0u, d.State(0).BackoffMultiplier);

        Fail(d, 0, 5); // back to the base time
        Assert.Equal(1u, d.State(0).BackoffMultiplier);
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.False(d.IsEjected(0));
    }

    [Fact]
    public void Eject_ManyTimes_EjectionTimeCapsAtMaxEjectionTime()
    {
        using var d = Detector(2, new OutlierDetectorSettings { MaxEjectionPercent = 50 });
        for (var i = 0; i < 15; i++)
        {
            Fail(d, 0, 5);
            Assert.True(d.IsEjected(0));
            while (d.IsEjected(0)) _clock.Advance(TimeSpan.FromSeconds(10));
        }
        // base 30 s × 11 ≥ 300 s + 30 s stops the growth; the time is min(330 s, 300 s).
        Assert.Equal(11u, d.State(0).BackoffMultiplier);
        var ejectedAt = _clock.GetUtcNow();
        Fail(d, 0, 5);
        _clock.Advance(TimeSpan.FromSeconds(290));
        Assert.True(d.IsEjected(0));
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.False(d.IsEjected(0));
        Assert.Equal(TimeSpan.FromSeconds(300), _clock.GetUtcNow() - ejectedAt);
    }

    [Fact]
    public void FromIstio_Defaults_MatchEnvoyAsIstioConfiguresIt()
    {
        var warnings = new List<ConfigDiagnostic>();
        var s = OutlierDetectorSettings.FromIstio(new OutlierDetectionSettings(), new Version(1, 24), warnings)!;
        Assert.Equal(5u, s.Consecutive5xx);
        Assert.True(s.Enforce5xx);
        Assert.False(s.EnforceGatewayFailure);
        Assert.Equal(TimeSpan.FromSeconds(10), s.Interval);
        Assert.Equal(TimeSpan.FromSeconds(30), s.BaseEjectionTime);
        Assert.Equal(TimeSpan.FromSeconds(300), s.MaxEjectionTime);
        Assert.Equal(10, s.MaxEjectionPercent);
        Assert.Equal(0, s.PanicThresholdPercent);
        Assert.Null(OutlierDetectorSettings.FromIstio(null, new Version(1, 24), warnings));
        Assert.Equal(TimeSpan.FromMinutes(10), OutlierDetectorSettings.FromIstio(
            new OutlierDetectionSettings { BaseEjectionTime = TimeSpan.FromMinutes(10) }, new Version(1, 24), warnings)!.MaxEjectionTime);
    }

    [Fact]
    public void FromIstio_ConsecutiveErrors_IgnoredSinceIstio17AndGatewayErrorsBefore()
    {
        var od = new OutlierDetectionSettings { ConsecutiveErrors = 3, ConsecutiveErrorsLocation = new ConfigLocation("dr.yaml", 9, 7) };
        var warnings = new List<ConfigDiagnostic>();

        var modern = OutlierDetectorSettings.FromIstio(od, new Version(1, 24), warnings)!;
        Assert.Equal(5u, modern.Consecutive5xx);
        Assert.True(modern.Enforce5xx);
        Assert.False(modern.EnforceGatewayFailure);
        Assert.Contains("dr.yaml:9: outlierDetection.consecutiveErrors is deprecated and ignored", warnings.Single().ToWarning());

        var legacy = OutlierDetectorSettings.FromIstio(od, new Version(1, 6), warnings)!;
        Assert.Equal(3u, legacy.ConsecutiveGatewayFailure);
        Assert.True(legacy.EnforceGatewayFailure);
        Assert.False(legacy.Enforce5xx);
    }

    [Fact]
    public void FromIstio_Consecutive5xxZero_DisablesDetection()
    {
        var s = OutlierDetectorSettings.FromIstio(new OutlierDetectionSettings { Consecutive5xxErrors = 0, MaxEjectionPercent = 100 }, new Version(1, 24), [])!;
        using var d = Detector(2, s);
        Fail(d, 0, 50);
        Assert.False(d.IsEjected(0));
        Assert.Equal(0, d.EjectionsDetectedConsecutive5xx);
    }
}
