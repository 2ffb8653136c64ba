using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Load.Pause;
using Xunit;
using static IndexForge.Resilience.Core.Tests.Load.FakeClock;

namespace IndexForge.Resilience.Core.Tests.Load.Pause;

public sealed class PauseExecutorTests
{
    [Fact]
    public async Task RunAsync_PauseOnly_RecordsEmptyWindowsAndResolvesNoEndpoint()
    {
        var time = Create();
        var transport = new FakeTransport();
        var start = time.GetUtcNow();

        var run = await RunAsync(time, Plan(new PauseOptions { Name = "quiet", Type = PhaseTypes.Pause, Duration = TimeSpan.FromSeconds(2) }), transport);

        Assert.Equal(2, run.Windows.Count);
        Assert.All(run.Windows, w => Assert.Equal(0, w.Scheduled));
        Assert.Empty(transport.Endpoints);
        Assert.True(time.GetUtcNow() - start >= TimeSpan.FromSeconds(2));
        Assert.Equal(0, run.Summarize().AchievedRate);
    }
}
