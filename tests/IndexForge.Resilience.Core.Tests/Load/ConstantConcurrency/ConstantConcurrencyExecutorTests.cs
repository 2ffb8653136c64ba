using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Load.ConstantConcurrency;
using Xunit;
using static IndexForge.Resilience.Core.Tests.Load.FakeClock;

namespace IndexForge.Resilience.Core.Tests.Load.ConstantConcurrency;

public sealed class ConstantConcurrencyExecutorTests
{
    [Fact]
    public async Task RunAsync_FakeClock_EachUserSendsAsSoonAsItsResponseArrives()
    {
        var time = Create();
        var transport = new FakeTransport { Answer = FakeTransport.After(Ms(100), time) };
        var start = time.GetTimestamp();
        var phase = new ConstantConcurrencyOptions { Name = "closed", Type = PhaseTypes.ConstantConcurrency, Concurrency = 3, Duration = TimeSpan.FromSeconds(2) };

        var run = await RunAsync(time, Plan(phase), transport);

        // 3 users × one send every 100 ms for 2 s; sends made before the end finish after it.
        Assert.Equal([30L, 30L], run.Windows.Select(w => w.Sent));
        Assert.All(run.Windows, w =>
        {
            Assert.Equal(w.Sent, w.Scheduled);
            Assert.Equal(w.Sent, w.Succeeded);
            Assert.Equal(0, w.Dropped);
            Assert.Equal(0, w.SchedulerLag.TotalCount);
            Assert.InRange(w.Latency.GetValueAtPercentile(99) / 1000.0, 100, 106);
        });
        var offsets = transport.Sends.Select(s => (s.Intended - start) / 10_000).Distinct().Order().ToList();
        // Users read the clock when they start, which the test's clock steps may have moved on
        // (5 ms per step); within one response time is what matters.
        Assert.InRange(offsets[0], 0, 99);
        Assert.True(offsets[^1] < 2000);
    }

    [Fact]
    public async Task RunAsync_MoreUsersThanTheInFlightLimit_ClosedModelIsNotLimited()
    {
        var time = Create();
        var transport = new FakeTransport { Answer = FakeTransport.After(Ms(500), time) };
        var plan = Plan(new ConstantConcurrencyOptions { Name = "closed", Type = PhaseTypes.ConstantConcurrency, Concurrency = 8, Duration = TimeSpan.FromSeconds(1) });
        plan = plan with { Spec = plan.Spec with { MaxInFlight = 2 } };

        var run = await RunAsync(time, plan, transport);

        Assert.Equal(16, run.Windows.Sum(w => w.Succeeded));
    }
}
