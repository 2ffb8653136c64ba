using IndexForge.Resilience.Core.Assertions;
using IndexForge.Resilience.Core.Assertions.Threshold;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Results;
using Xunit;

namespace IndexForge.Resilience.Core.Tests.Assertions.Threshold;

public class ThresholdEvaluatorTests
{
    private static ThresholdOptions Expr(string expr) => new() { Name = "t", Type = AssertionTypes.Threshold, Phase = "steady", Expr = expr };

    /// <summary>Windows whose latency from the intended send is <paramref name="intendedMs"/> and from the actual send <paramref name="serviceMs"/>.</summary>
    private static AssertionContext Context(double intendedMs, double serviceMs, bool saturated, int failed = 0)
    {
        var windows = new List<LoadWindow>();
        for (var s = 0; s < 3; s++)
        {
            var w = new LoadWindow { Index = s, Start = TimeSpan.FromSeconds(s), Length = TimeSpan.FromSeconds(1), Phase = "steady" };
            w.Completed = w.Sent = w.Scheduled = 100;
            w.Failed = failed;
            w.Succeeded = 100 - failed;
            if (failed > 0) w.Errors[ErrorClass.Http5xx] = failed;
            for (var i = 0; i < 100; i++)
            {
                w.Latency.RecordValue((long)(intendedMs * 1000));
                w.ServiceLatency.RecordValue((long)(serviceMs * 1000));
            }
            windows.Add(w);
        }
        var context = new AssertionFixture().Context();
        return context with
        {
            Load = new LoadRun
            {
                StartedAt = DateTimeOffset.UnixEpoch, Windows = windows, Saturated = saturated, SaturationReason = saturated ? "lag p99 300 ms" : null,
                Phases = [new PhaseSpan("steady", "constant-arrival-rate", TimeSpan.Zero, TimeSpan.FromSeconds(3), "mesh")],
            },
        };
    }

    [Fact]
    public void Evaluate_LatencyUnderThreshold_Passes()
    {
        var r = AssertionFixture.Evaluate(Expr("p(95) < 50ms"), Context(10, 9, saturated: false));
        Assert.Equal(Verdict.Pass, r.Verdict);
        Assert.Equal(10, r.Figures["p(95)"], 1);
    }

    [Fact]
    public void Evaluate_LatencyOverThreshold_Fails()
    {
        var r = AssertionFixture.Evaluate(Expr("p(95) < 50ms"), Context(80, 79, saturated: false));
        Assert.Equal(Verdict.Fail, r.Verdict);
    }

    [Fact]
    public void Evaluate_SaturatedGeneratorExplainsTheFailure_IsAnErrorNotAVerdict()
    {
        // 80 ms from the intended send, 5 ms from the actual send: the generator was late, not the target.
        var r = AssertionFixture.Evaluate(Expr("p(95) < 50ms"), Context(80, 5, saturated: true));
        Assert.Equal(Verdict.Error, r.Verdict);
        Assert.Contains("saturated", r.Message);
    }

    [Fact]
    public void Evaluate_SaturatedButTheTargetIsSlowAnyway_StillFails()
    {
        var r = AssertionFixture.Evaluate(Expr("p(95) < 50ms"), Context(80, 70, saturated: true));
        Assert.Equal(Verdict.Fail, r.Verdict);
    }

    [Fact]
    public void Evaluate_SaturatedPass_StaysAPass()
    {
        // Latency from the intended send bounds the target's from above.
        var r = AssertionFixture.Evaluate(Expr("p(95) < 50ms"), Context(20, 5, saturated: true));
        Assert.Equal(Verdict.Pass, r.Verdict);
    }

    [Fact]
    public void Evaluate_FailedRate_CountsFailures()
    {
        Assert.Equal(Verdict.Fail, AssertionFixture.Evaluate(Expr("rate(failed) == 0"), Context(1, 1, false, failed: 1)).Verdict);
        Assert.Equal(Verdict.Pass, AssertionFixture.Evaluate(Expr("rate(failed) == 0"), Context(1, 1, false)).Verdict);
    }

    [Fact]
    public void Evaluate_NothingCompleted_Fails()
    {
        var context = Context(1, 1, false);
        var empty = context with { Load = new LoadRun { StartedAt = DateTimeOffset.UnixEpoch, Windows = [], Phases = context.Load.Phases } };
        var r = AssertionFixture.Evaluate(Expr("rate(failed) == 0"), empty);
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("nothing was measured", r.Message);
    }
}
