using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Load.ConstantArrivalRate;
using IndexForge.Resilience.Core.Load.Pause;
using IndexForge.Resilience.Core.Results;
using Xunit;
using static IndexForge.Resilience.Core.Tests.Load.FakeClock;

namespace IndexForge.Resilience.Core.Tests.Load;

public sealed class PhaseBoundaryTests
{
    private static ConstantArrivalRateOptions Rate(string name, double rate, TimeSpan duration, string route = Routes.Mesh) =>
        new() { Name = name, Type = PhaseTypes.ConstantArrivalRate, Rate = rate, Duration = duration, Route = route };

    [Fact]
    public async Task RunAsync_PhasesBackToBack_EachStartsAtItsAbsoluteOffset()
    {
        var time = Create();
        var transport = new FakeTransport();
        var observer = new Observer();
        var start = time.GetTimestamp();
        var plan = Plan(
            Rate("baseline", 10, Ms(1500)),
            new PauseOptions { Name = "settle", Type = PhaseTypes.Pause, Duration = Ms(500) },
            Rate("fault", 20, TimeSpan.FromSeconds(1), Routes.Direct));

        var run = await RunAsync(time, plan, transport, observer);

        var offsets = transport.Sends.Select(s => (s.Intended - start) / 10_000.0).Order().ToList();
        Assert.Equal(15 + 20, offsets.Count);
        Assert.Equal(Enumerable.Range(0, 15).Select(i => i * 100.0), offsets.Take(15));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => 2000 + i * 50.0), offsets.Skip(15));
        // Windows restart at each phase: the 1.5 s baseline ends in a half window.
        Assert.Equal(
            [("baseline", 0.0, 1000.0, 10L), ("baseline", 1000, 500, 5), ("settle", 1500, 500, 0), ("fault", 2000, 1000, 20)],
            run.Windows.Select(w => (w.Phase!, w.Start.TotalMilliseconds, w.Length.TotalMilliseconds, w.Scheduled)));
        Assert.Equal(
            [new PhaseSpan("baseline", PhaseTypes.ConstantArrivalRate, TimeSpan.Zero, Ms(1500), Routes.Mesh),
             new PhaseSpan("settle", PhaseTypes.Pause, Ms(1500), Ms(2000), Routes.Mesh),
             new PhaseSpan("fault", PhaseTypes.ConstantArrivalRate, Ms(2000), Ms(3000), Routes.Direct)],
            run.Phases);
        Assert.Equal([("baseline", 0.0), ("settle", 1500), ("fault", 2000)], observer.Phases);
        Assert.Equal([0, 1, 2, 3], observer.Windows.Select(w => w.Index));
        var summary = run.Summarize();
        // 35 sends over the 2.5 s of sending phases (the pause is not sending time).
        Assert.Equal(14, summary.AchievedRate, 6);
        Assert.Equal(20, run.SummarizePhase("fault").Sent);
    }

    [Fact]
    public async Task RunAsync_ObserverThrows_RunCompletesRegardless()
    {
        var time = Create();
        var run = await RunAsync(time, Plan(Rate("baseline", 10, TimeSpan.FromSeconds(2))), new FakeTransport(), new ThrowingObserver());

        Assert.Equal(20, run.Windows.Sum(w => w.Succeeded));
    }

    [Fact]
    public async Task RunAsync_Cancelled_ReturnsTheWindowsMeasuredSoFar()
    {
        var time = Create();
        using var cts = new CancellationTokenSource();
        var observer = new Observer { OnWindowSeen = w => { if (w.Index == 1) cts.Cancel(); } };

        var run = await RunAsync(time, Plan(Rate("baseline", 10, TimeSpan.FromSeconds(10))), new FakeTransport(), observer, cancellationToken: cts.Token);

        Assert.True(run.Cancelled);
        Assert.InRange(run.Windows.Count, 2, 4);
        Assert.All(run.Windows.Take(2), w => Assert.Equal(10, w.Succeeded));
    }

    [Fact]
    public async Task RunAsync_ResolveFails_TheErrorSurfacesAndNothingHangs()
    {
        var time = Create();
        var plan = Plan(Rate("baseline", 10, TimeSpan.FromSeconds(1)), Rate("fault", 10, TimeSpan.FromSeconds(1))) with
        {
            Resolve = p => p.Name == "fault" ? throw new InvalidOperationException("no replica named search-9") : new LoadEndpoint(new Uri("http://127.0.0.1:1/")),
        };

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(time, plan, new FakeTransport()));

        Assert.Equal("no replica named search-9", e.Message);
    }

    [Fact]
    public void RunAsync_InvalidPlan_RefusedWithEveryProblemBeforeAnythingRuns()
    {
        var plan = Plan(Rate("baseline", 10, TimeSpan.FromSeconds(1))) with { Window = TimeSpan.Zero };
        plan = plan with { Spec = plan.Spec with { Requests = [], Timeout = TimeSpan.Zero } };

        var e = Assert.Throws<ArgumentException>(() => new LoadEngine().RunAsync(plan, null, CancellationToken.None).GetAwaiter().GetResult());

        Assert.Contains("no requests", e.Message);
        Assert.Contains("timeout must be positive", e.Message);
        Assert.Contains("window must be positive", e.Message);
    }

    private sealed class Observer : ILoadObserver
    {
        public List<(string, double)> Phases { get; } = [];
        public List<WindowStats> Windows { get; } = [];
        public Action<WindowStats>? OnWindowSeen { get; init; }
        public void OnPhaseStarted(string phase, TimeSpan at) => Phases.Add((phase, at.TotalMilliseconds));
        public void OnWindow(WindowStats window)
        {
            Windows.Add(window);
            OnWindowSeen?.Invoke(window);
        }
    }

    private sealed class ThrowingObserver : ILoadObserver
    {
        public void OnPhaseStarted(string phase, TimeSpan at) => throw new InvalidOperationException("display bug");
        public void OnWindow(WindowStats window) => throw new InvalidOperationException("display bug");
    }
}
