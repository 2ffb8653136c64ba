using HdrHistogram;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Load.ConstantArrivalRate;
using IndexForge.Resilience.Core.Load.Recording;
using Xunit;
using static IndexForge.Resilience.Core.Tests.Load.FakeClock;

namespace IndexForge.Resilience.Core.Tests.Load.ConstantArrivalRate;

public sealed class ConstantArrivalRateExecutorTests
{
    private static ConstantArrivalRateOptions Phase(string name, double rate, TimeSpan duration) =>
        new() { Name = name, Type = PhaseTypes.ConstantArrivalRate, Rate = rate, Duration = duration };

    private static List<long> Offsets(ConstantArrivalRateExecutor.Schedule schedule)
    {
        var offsets = new List<long>();
        for (long i = 0; schedule.TryGetOffset(i, out var o); i++) offsets.Add(o);
        return offsets;
    }

    [Fact]
    public void Schedule_WholePeriod_SendsAtIndexTimesPeriod()
    {
        var offsets = Offsets(new ConstantArrivalRateExecutor.Schedule(4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerSecond));

        Assert.Equal([0, 2_500_000, 5_000_000, 7_500_000], offsets);
    }

    [Fact]
    public void Schedule_FractionalRate_CountsEverySendStartingInsideThePhase()
    {
        // 2.5/s for 1 s: sends at 0, 0.4 s, 0.8 s; the next (1.2 s) is past the end.
        var offsets = Offsets(new ConstantArrivalRateExecutor.Schedule(2.5, TimeSpan.TicksPerSecond, TimeSpan.TicksPerSecond));

        Assert.Equal([0, 4_000_000, 8_000_000], offsets);
    }

    [Fact]
    public void Schedule_PeriodNotWholeTicks_StaysAnchoredToThePhaseStart()
    {
        // 3/s: a period of 3,333,333.3 ticks; summing periods would drift, i × f / rate does not.
        var schedule = new ConstantArrivalRateExecutor.Schedule(3, 3 * TimeSpan.TicksPerSecond, TimeSpan.TicksPerSecond);

        Assert.True(schedule.TryGetOffset(3, out var third));
        Assert.True(schedule.TryGetOffset(8, out var eighth));
        Assert.Equal(TimeSpan.TicksPerSecond, third);
        Assert.Equal(26_666_666, eighth);
        Assert.False(schedule.TryGetOffset(9, out _));
    }

    [Fact]
    public async Task RunAsync_FakeClock_SendsExactCountAtExactOffsets()
    {
        var time = Create();
        var transport = new FakeTransport();
        var start = time.GetTimestamp();

        var run = await RunAsync(time, Plan(Phase("steady", 10, TimeSpan.FromSeconds(2))), transport);

        var offsets = transport.Sends.Select(s => s.Intended - start).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 1_000_000L), offsets);
        Assert.Equal([10L, 10L], run.Windows.Select(w => w.Scheduled));
        Assert.All(run.Windows, w =>
        {
            Assert.Equal(10, w.Sent);
            Assert.Equal(10, w.Succeeded);
            Assert.Equal(0, w.Dropped);
            Assert.Equal(10, w.StatusCodes[200]);
            Assert.Equal(10, w.ByReplica["replica-a"]);
            Assert.Equal(10, w.SchedulerLag.TotalCount);
        });
    }

    [Fact]
    public async Task RunAsync_InFlightLimitReached_DropsTheRestAndCountsThem()
    {
        var time = Create();
        // Never answers: the five slots stay taken until the 5 s timeout, long after the phase.
        var transport = new FakeTransport { Answer = FakeTransport.After(TimeSpan.FromHours(1), time) };
        var plan = Plan(Phase("flood", 100, TimeSpan.FromSeconds(1)));
        plan = plan with { Spec = plan.Spec with { MaxInFlight = 5 } };

        var run = await RunAsync(time, plan, transport, step: Ms(20));

        var window = Assert.Single(run.Windows);
        Assert.Equal(100, window.Scheduled);
        Assert.Equal(5, window.Sent);
        Assert.Equal(95, window.Dropped);
        Assert.Equal(5, window.Completed);
        Assert.Equal(5, window.Failed);
        Assert.Equal(5, window.Errors[ErrorClass.Timeout]);
        Assert.Equal(100, window.SchedulerLag.TotalCount);
        Assert.Equal(0, run.LateResults);
    }

    [Fact]
    public async Task RunAsync_SlowResponses_LatencyCountsFromTheIntendedSend()
    {
        var time = Create();
        var transport = new FakeTransport { Answer = FakeTransport.After(Ms(300), time) };

        var run = await RunAsync(time, Plan(Phase("slow", 10, TimeSpan.FromSeconds(1))), transport);

        var window = Assert.Single(run.Windows);
        Assert.Equal(10, window.Succeeded);
        // Responses arrive 300 ms after the send (to the 5 ms step of the fake clock); nothing waits for them.
        Assert.InRange(window.Latency.GetValueAtPercentile(50), 300_000, 310_000);
        Assert.InRange(window.Latency.GetMaxValue(), 300_000, 311_000);
    }
}
