using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Load.ConstantArrivalRate;
using IndexForge.Resilience.Core.Load.ConstantConcurrency;
using Xunit;
using static IndexForge.Resilience.Core.Tests.Load.FakeClock;

namespace IndexForge.Resilience.Core.Tests.Load.Sharing;

/// <summary>Load agents split one schedule: the shares must be disjoint and their union the whole run.</summary>
public sealed class LoadShareTests
{
    private static LoadPlan OpenPlan()
    {
        // A fractional rate, so sends do not line up with windows or agents.
        var plan = Plan(new ConstantArrivalRateOptions { Name = "steady", Type = PhaseTypes.ConstantArrivalRate, Rate = 7.5, Duration = TimeSpan.FromSeconds(2) });
        // A weighted mix, so the draws (not only the times) must match.
        return plan with
        {
            Spec = plan.Spec with
            {
                Requests = [new RequestSpec { Path = "/a", Weight = 3 }, new RequestSpec { Path = "/b", Weight = 1 }, new RequestSpec { Path = "/c", Weight = 2 }],
            },
        };
    }

    /// <summary>Every send of a run as (request, offset from the load start in ticks).</summary>
    private static async Task<(List<(int Request, long Offset)> Sends, LoadRun Run)> SendsOf(LoadPlan plan, LoadShare share)
    {
        var time = Create();
        var transport = new FakeTransport();
        var start = time.GetTimestamp();
        var run = await RunAsync(time, plan with { Share = share }, transport);
        return (transport.Sends.Select(s => (s.Request, s.Intended - start)).Order().ToList(), run);
    }

    [Fact]
    public async Task OpenModel_ThreeShares_DisjointAndUnionIsTheWholeSchedule()
    {
        var plan = OpenPlan();
        var (whole, wholeRun) = await SendsOf(plan, LoadShare.Whole);
        var shares = new List<(List<(int, long)> Sends, LoadRun Run)>();
        for (var i = 0; i < 3; i++) shares.Add(await SendsOf(plan, new LoadShare(i, 3)));

        var union = shares.SelectMany(s => s.Sends).Order().ToList();
        Assert.Equal(15, whole.Count);
        Assert.Equal(whole, union);
        Assert.Equal(union.Count, union.Distinct().Count());
        // Agent i takes sends i, i+3, i+6…: the counts differ by at most one.
        Assert.InRange(shares.Max(s => s.Sends.Count) - shares.Min(s => s.Sends.Count), 0, 1);
        // Window by window, the shares' counters add up to the whole run's.
        Assert.Equal(wholeRun.Windows.Select(w => w.Scheduled), wholeRun.Windows.Select(w => shares.Sum(s => s.Run.Windows.Single(x => x.Index == w.Index).Scheduled)));
        Assert.Equal(wholeRun.Windows.Select(w => w.Latency.TotalCount), wholeRun.Windows.Select(w => shares.Sum(s => s.Run.Windows.Single(x => x.Index == w.Index).Latency.TotalCount)));

        // Negative control: one agent twice (indices 0, 1, 1) covers neither the whole nor disjointly.
        var wrong = (await SendsOf(plan, new LoadShare(0, 3))).Sends
            .Concat((await SendsOf(plan, new LoadShare(1, 3))).Sends)
            .Concat((await SendsOf(plan, new LoadShare(1, 3))).Sends).Order().ToList();
        Assert.NotEqual(whole, wrong);
        Assert.NotEqual(wrong.Count, wrong.Distinct().Count());
    }

    [Fact]
    public async Task OpenModel_ShareOfOne_IsTheWholeRun()
    {
        var plan = OpenPlan();
        var (whole, _) = await SendsOf(plan, LoadShare.Whole);
        var (one, _) = await SendsOf(plan, new LoadShare(0, 1));

        Assert.Equal(whole, one);
        // Negative control: half of it is not.
        Assert.NotEqual(whole, (await SendsOf(plan, new LoadShare(0, 2))).Sends);
    }

    [Fact]
    public async Task ClosedModel_UsersSplitAcrossShares_SumToTheWholeRun()
    {
        var phase = new ConstantConcurrencyOptions { Name = "closed", Type = PhaseTypes.ConstantConcurrency, Concurrency = 5, Duration = TimeSpan.FromSeconds(1) };
        async Task<long> Sent(LoadShare share)
        {
            var time = Create();
            var run = await RunAsync(time, Plan(phase) with { Share = share }, new FakeTransport { Answer = FakeTransport.After(Ms(100), time) });
            return run.Windows.Sum(w => w.Sent);
        }

        var whole = await Sent(LoadShare.Whole);
        var parts = new[] { await Sent(new LoadShare(0, 3)), await Sent(new LoadShare(1, 3)), await Sent(new LoadShare(2, 3)) };

        // 5 users × 10 sends: users {0,3}, {1,4}, {2}.
        Assert.Equal(50, whole);
        Assert.Equal([20L, 20L, 10L], parts);
        Assert.Equal(whole, parts.Sum());
        // Negative control: more agents than users leaves an agent with nothing, still summing right.
        Assert.Equal(0, await Sent(new LoadShare(5, 6)));
    }

    [Fact]
    public async Task StartAt_InTheFuture_SendsFromThatOrigin()
    {
        var time = Create();
        var transport = new FakeTransport();
        var start = time.GetTimestamp();
        var plan = Plan(new ConstantArrivalRateOptions { Name = "steady", Type = PhaseTypes.ConstantArrivalRate, Rate = 2, Duration = TimeSpan.FromSeconds(1) });
        var at = time.GetUtcNow() + TimeSpan.FromSeconds(3);

        var run = await RunAsync(time, plan with { StartAt = at }, transport, limit: TimeSpan.FromSeconds(40));

        Assert.Equal(at, run.StartedAt);
        Assert.Equal([3 * TimeSpan.TicksPerSecond, 3 * TimeSpan.TicksPerSecond + TimeSpan.TicksPerSecond / 2], transport.Sends.Select(s => s.Intended - start).Order());
        // Negative control: without StartAt the first send leaves at once.
        var now = new FakeTransport();
        var t2 = Create();
        var s2 = t2.GetTimestamp();
        await RunAsync(t2, plan, now);
        Assert.Equal(0, now.Sends.Min(s => s.Intended - s2));
    }

    [Theory]
    [InlineData(3, 3)]
    [InlineData(-1, 2)]
    [InlineData(0, 0)]
    public async Task RunAsync_InvalidShare_Refused(int index, int count)
    {
        var plan = Plan(new ConstantArrivalRateOptions { Name = "steady", Type = PhaseTypes.ConstantArrivalRate, Rate = 2, Duration = TimeSpan.FromSeconds(1) });

        var e = await Assert.ThrowsAsync<ArgumentException>(() => new LoadEngine().RunAsync(plan with { Share = new LoadShare(index, count) }, null, CancellationToken.None));
        Assert.Contains("agent", e.Message);
    }
}
