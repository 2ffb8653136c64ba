using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Load.RampingArrivalRate;
using Xunit;
using static IndexForge.Resilience.Core.Tests.Load.FakeClock;

namespace IndexForge.Resilience.Core.Tests.Load.RampingArrivalRate;

public sealed class RampingArrivalRateExecutorTests
{
    private static RampingArrivalRateOptions Ramp(double startRate, params (double Target, double Seconds)[] stages) => new()
    {
        Name = "ramp",
        Type = PhaseTypes.RampingArrivalRate,
        StartRate = startRate,
        Stages = [.. stages.Select(s => new RampStage { Target = s.Target, Duration = TimeSpan.FromSeconds(s.Seconds) })],
    };

    private static List<double> Seconds(RampingArrivalRateOptions options)
    {
        var schedule = new RampingArrivalRateExecutor.Schedule(options, TimeSpan.TicksPerSecond);
        var list = new List<double>();
        for (long i = 0; schedule.TryGetOffset(i, out var o); i++) list.Add(o / (double)TimeSpan.TicksPerSecond);
        return list;
    }

    [Fact]
    public void Schedule_RampFromZero_SendsWhereTheCumulativeCountReachesEachIndex()
    {
        // 0→10/s over 10 s: N(t) = t²/2, so send i leaves at √(2i); 50 sends in all.
        var seconds = Seconds(Ramp(0, (10, 10)));

        Assert.Equal(50, seconds.Count);
        Assert.Equal(0, seconds[0]);
        Assert.Equal(2.0, seconds[2], 6);
        Assert.Equal(Math.Sqrt(98), seconds[49], 6);
    }

    [Fact]
    public void Schedule_RampThenHold_HoldContinuesAtTheReachedRate()
    {
        // 0→4/s over 2 s (N = t², 4 sends), then 4/s for 1 s (4 sends at 2.0, 2.25, 2.5, 2.75).
        var seconds = Seconds(Ramp(0, (4, 2), (4, 1)));

        Assert.Equal([0, 1, Math.Sqrt(2), Math.Sqrt(3), 2, 2.25, 2.5, 2.75], seconds, new Tolerance(1e-6));
    }

    [Fact]
    public void Schedule_RampDown_SendsFewerAsTheRateFalls()
    {
        // 10→0/s over 2 s: 10 sends, denser at the start.
        var seconds = Seconds(Ramp(10, (0, 2)));

        Assert.Equal(10, seconds.Count);
        Assert.True(seconds[1] - seconds[0] < seconds[9] - seconds[8]);
        Assert.True(seconds[9] < 2);
    }

    [Fact]
    public void Schedule_ConstantStage_MatchesTheConstantRateSchedule()
    {
        var seconds = Seconds(Ramp(5, (5, 2)));

        Assert.Equal(Enumerable.Range(0, 10).Select(i => i * 0.2), seconds, new Tolerance(1e-9));
    }

    [Fact]
    public async Task RunAsync_FakeClock_WindowsFollowTheRamp()
    {
        var time = Create();
        var transport = new FakeTransport();
        var start = time.GetTimestamp();

        var run = await RunAsync(time, Plan(Ramp(0, (4, 2), (4, 1))), transport);

        Assert.Equal([1L, 3L, 4L], run.Windows.Select(w => w.Scheduled));
        Assert.Equal(8, run.Windows.Sum(w => w.Succeeded));
        var offsets = transport.Sends.Select(s => (s.Intended - start) / (double)TimeSpan.TicksPerSecond).Order();
        Assert.Equal([0, 1, Math.Sqrt(2), Math.Sqrt(3), 2, 2.25, 2.5, 2.75], offsets, new Tolerance(1e-6));
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;
        public int GetHashCode(double obj) => 0;
    }
}
