using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Load.ConstantArrivalRate;
using IndexForge.Resilience.Core.Load.RampingArrivalRate;
using Xunit;
using static IndexForge.Resilience.Core.Tests.Load.FakeClock;

namespace IndexForge.Resilience.Core.Tests.Load;

/// <summary>
/// Sends whose times fall between whole milliseconds (a ramp from a non-zero rate, a second phase at
/// another rate) on the fake clock, whose timers count whole milliseconds: the run must finish with
/// the exact schedule. These hung before the virtual clock rounded its waits up to a millisecond.
/// </summary>
public sealed class OffGridScheduleTests
{
    [Fact]
    public async Task Ramp_FromANonZeroRate_SendsTheExactSchedule()
    {
        var plan = Plan(new RampingArrivalRateOptions
        {
            Name = "ramp", Type = PhaseTypes.RampingArrivalRate, StartRate = 2,
            Stages = [new RampStage { Target = 11, Duration = TimeSpan.FromSeconds(2) }],
        });
        var time = Create();
        var transport = new FakeTransport();
        var start = time.GetTimestamp();

        await RunAsync(time, plan, transport, limit: TimeSpan.FromSeconds(10));

        // N(t) = 2t + 9t²/4 reaches n at t = (−2 + √(4 + 9n)) / 4.5; 13 sends in 2 s.
        var offsets = transport.Sends.Select(s => (s.Intended - start) / (double)TimeSpan.TicksPerSecond).Order().ToList();
        Assert.Equal(13, offsets.Count);
        // Send times are floored to the clock's 100 ns ticks.
        for (var n = 0; n < 13; n++) Assert.InRange((-2 + Math.Sqrt(4 + 9.0 * n)) / 4.5 - offsets[n], 0, 1e-7);
        // Negative control: the same formula with the rate starting at 0 is a different schedule.
        Assert.NotEqual(Math.Sqrt(4 * 10 / 9.0), offsets[10], 3);
    }

    [Fact]
    public async Task TwoRates_BackToBack_SecondPhaseKeepsItsOwnGrid()
    {
        var plan = Plan(
            new ConstantArrivalRateOptions { Name = "a", Type = PhaseTypes.ConstantArrivalRate, Rate = 7.5, Duration = TimeSpan.FromSeconds(2) },
            new ConstantArrivalRateOptions { Name = "b", Type = PhaseTypes.ConstantArrivalRate, Rate = 11, Duration = TimeSpan.FromSeconds(2) });
        var time = Create();
        var transport = new FakeTransport();
        var start = time.GetTimestamp();

        var run = await RunAsync(time, plan, transport, limit: TimeSpan.FromSeconds(15));

        var offsets = transport.Sends.Select(s => (s.Intended - start) / (double)TimeSpan.TicksPerSecond).Order().ToList();
        Assert.Equal(15 + 22, offsets.Count);
        Assert.InRange(2 + 1 / 11.0 - offsets[16], 0, 1e-7); // phase b's second send, off the millisecond grid
        Assert.Equal(37, run.Windows.Sum(w => w.Sent));
    }
}
