using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Load.ConstantArrivalRate;
using IndexForge.Resilience.Core.Load.Recording;
using Xunit;

namespace IndexForge.Resilience.Core.Tests.Load;

[Collection(TimingCollection.Name)]
public sealed class SaturationTests
{
    private static LoadWindow Window(int index, params long[] lagMicros)
    {
        var w = new LoadWindow { Index = index, Start = TimeSpan.FromSeconds(index), Length = TimeSpan.FromSeconds(1), Phase = "p" };
        foreach (var lag in lagMicros) w.SchedulerLag.RecordValue(lag);
        return w;
    }

    private static long[] Lags(int count, long value) => [.. Enumerable.Repeat(value, count)];

    [Fact]
    public void Evaluate_RunWideLagP99AboveTheLimit_Saturated()
    {
        // 2% of sends 20 ms late: p99 is 20 ms.
        var windows = new[] { Window(0, [.. Lags(980, 300), .. Lags(20, 20_000)]) };

        var reason = Saturation.Evaluate(windows);

        Assert.NotNull(reason);
        Assert.Contains("p99 20", reason);
    }

    [Fact]
    public void Evaluate_LagP99UnderTheLimit_NotSaturated()
    {
        // 0.5% late sends leave p99 at 0.3 ms: not saturated (the control of the test above).
        var windows = new[] { Window(0, [.. Lags(995, 300), .. Lags(5, 20_000)]) };

        Assert.Null(Saturation.Evaluate(windows));
    }

    [Fact]
    public void Evaluate_ThreeWindowsLateInALongCalmRun_Saturated()
    {
        var calm = Enumerable.Range(0, 400).Select(i => Window(i, Lags(100, 200)));
        var burst = Enumerable.Range(400, LoadConstants.SaturationWindows).Select(i => Window(i, Lags(100, 50_000)));
        var windows = calm.Concat(burst).ToList();

        Assert.Contains("3 windows", Saturation.Evaluate(windows));
        Assert.Null(Saturation.Evaluate(windows.SkipLast(1).ToList()));
    }

    [Fact]
    public void Evaluate_ClosedModelOnly_NotSaturated()
    {
        Assert.Null(Saturation.Evaluate([Window(0), Window(1)]));
    }

    /// <summary>A generator whose workers are busy (each send holds its thread 20 ms) cannot keep a schedule.</summary>
    private sealed class BusyGenerator(TimeSpan hold) : Core.Load.Sending.ILoadTransport, Core.Load.Sending.ILoadTransportFactory
    {
        public Core.Load.Sending.ILoadTransport Create(LoadEndpoint endpoint, LoadPlan plan) => this;

        public ValueTask<SendOutcome> SendAsync(int request, long intended, CancellationToken cancellationToken)
        {
            Thread.Sleep(hold);
            return ValueTask.FromResult(new SendOutcome(200, ErrorClass.None));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static LoadPlan RatePlan(double rate, TimeSpan duration, Uri? address = null, int maxInFlight = LoadConstants.DefaultMaxInFlight) => new()
    {
        Spec = new LoadSpec
        {
            Requests = [new RequestSpec { Path = "/ok" }],
            Phases = [new ConstantArrivalRateOptions { Name = "p", Type = PhaseTypes.ConstantArrivalRate, Rate = rate, Duration = duration }],
            MaxInFlight = maxInFlight,
        },
        Resolve = _ => new LoadEndpoint(address ?? new Uri("http://127.0.0.1:1/")),
    };

    [Fact]
    public async Task RunAsync_GeneratorThreadsBusy_MarkedSaturated()
    {
        var run = await new LoadEngine(new BusyGenerator(TimeSpan.FromMilliseconds(20))).RunAsync(RatePlan(1_000, TimeSpan.FromSeconds(1)), null, CancellationToken.None);

        Assert.True(run.Saturated);
        Assert.Contains("scheduler lag p99", run.SaturationReason);
    }

    [SkippableFact]
    public async Task RunAsync_SameBusyGeneratorAtAComfortableRate_NotSaturated()
    {
        QuietMachine.SkipIfBusy();
        var run = await new LoadEngine(new BusyGenerator(TimeSpan.FromMilliseconds(20))).RunAsync(RatePlan(20, TimeSpan.FromSeconds(2)), null, CancellationToken.None);

        Assert.False(run.Saturated, run.SaturationReason);
        Assert.Equal(40, run.Windows.Sum(w => w.Succeeded));
    }

    [Fact]
    public async Task RunAsync_RealHttpFarBeyondWhatTheMachineCanSend_MarkedSaturated()
    {
        await using var server = await LoadTestServer.StartAsync();

        var run = await new LoadEngine().RunAsync(RatePlan(40_000, TimeSpan.FromSeconds(1), server.Address, maxInFlight: 40_000), null, CancellationToken.None);

        Assert.True(run.Saturated, $"lag p99 {run.Summarize().SchedulerLag}");
    }

    [SkippableFact]
    public async Task RunAsync_RealHttpAtAComfortableRate_NotSaturated()
    {
        QuietMachine.SkipIfBusy();
        await using var server = await LoadTestServer.StartAsync();
        // Warm the HTTP stack first, as a scenario's first phase would, so JIT time is not lag.
        await new LoadEngine().RunAsync(RatePlan(50, TimeSpan.FromSeconds(1), server.Address), null, CancellationToken.None);

        var run = await new LoadEngine().RunAsync(RatePlan(200, TimeSpan.FromSeconds(2), server.Address), null, CancellationToken.None);

        Assert.False(run.Saturated, run.SaturationReason);
        Assert.Equal(400, run.Windows.Sum(w => w.Succeeded));
    }
}
