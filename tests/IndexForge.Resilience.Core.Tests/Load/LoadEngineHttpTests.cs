using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Load.ConstantArrivalRate;
using Xunit;

namespace IndexForge.Resilience.Core.Tests.Load;

[Collection(TimingCollection.Name)]
public sealed class LoadEngineHttpTests
{
    private static LoadPlan Plan(Uri address, string path, double rate, TimeSpan duration, params PhaseOptions[] more) => new()
    {
        Spec = new LoadSpec
        {
            Requests = [new RequestSpec { Path = path }],
            Phases = [new ConstantArrivalRateOptions { Name = "baseline", Type = PhaseTypes.ConstantArrivalRate, Rate = rate, Duration = duration }, .. more],
            Connections = 8,
        },
        Resolve = _ => new LoadEndpoint(address),
        Seed = 42,
    };

    [Fact]
    public async Task RunAsync_ConstantRateAgainstKestrel_CountsEverySendInItsWindow()
    {
        await using var server = await LoadTestServer.StartAsync();
        var observer = new RecordingObserver();

        var run = await new LoadEngine().RunAsync(Plan(server.Address, "/ok", 200, TimeSpan.FromSeconds(2)), observer, CancellationToken.None);

        Assert.Equal(2, run.Windows.Count);
        Assert.All(run.Windows, w =>
        {
            Assert.Equal(200, w.Scheduled);
            Assert.Equal(200, w.Sent);
            Assert.Equal(200, w.Completed);
            Assert.Equal(200, w.Succeeded);
            Assert.Equal(0, w.Dropped);
            Assert.Equal(200, w.StatusCodes[200]);
            Assert.Equal(200, w.ByReplica["replica-a"]);
            Assert.Equal(200, w.ByRegion["region-1"]);
            Assert.Equal(200, w.Latency.TotalCount);
            Assert.Equal("baseline", w.Phase);
        });
        Assert.Equal(["baseline"], observer.Phases);
        Assert.Equal([0, 1], observer.Windows.Select(w => w.Index));
        var summary = run.Summarize();
        Assert.Equal(400, summary.Sent);
        Assert.InRange(summary.AchievedRate, 199.9, 200.1);
        Assert.True(summary.Latency.P50 > 0);
    }

    private sealed class RecordingObserver : ILoadObserver
    {
        public List<string> Phases { get; } = [];
        public List<Results.WindowStats> Windows { get; } = [];
        public void OnPhaseStarted(string phase, TimeSpan at) => Phases.Add(phase);
        public void OnWindow(Results.WindowStats window) => Windows.Add(window);
    }
}
