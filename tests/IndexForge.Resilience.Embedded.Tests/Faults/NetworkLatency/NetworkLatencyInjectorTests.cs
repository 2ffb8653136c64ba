using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.NetworkLatency;
using Xunit;

namespace IndexForge.Resilience.Embedded.Tests.Faults.NetworkLatency;

[Collection(HardenedCollection.Name)]
public sealed class NetworkLatencyInjectorTests(HardenedFixture env)
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(600);

    [Fact]
    public async Task InjectAsync_AllReplicas_RequestsSlowUntilReverted()
    {
        await env.GetAsync(); // warm the connection pools so the timings below are the delay's
        var fault = await env.InjectAsync(FaultTypes.NetworkLatency, new NetworkLatencyOptions { Name = "slow", Delay = Delay });
        try
        {
            Assert.Equal("us-east-1,us-west-1,us-west-2", string.Join(",", fault.Details["replicas"].Split(',').Order(StringComparer.Ordinal)));
            for (var i = 0; i < 3; i++)
            {
                var (status, elapsed) = await env.GetAsync();
                Assert.Equal(200, status);
                Assert.True(elapsed >= Delay - TimeSpan.FromMilliseconds(50), $"took {elapsed.TotalMilliseconds} ms with {Delay.TotalMilliseconds} ms latency");
            }
        }
        finally
        {
            await fault.RevertAsync(CancellationToken.None);
        }
        var after = new List<TimeSpan>();
        for (var i = 0; i < 3; i++) after.Add((await env.GetAsync()).Elapsed);
        Assert.True(after.Min() < Delay - TimeSpan.FromMilliseconds(100), $"after revert: {string.Join(", ", after.Select(a => a.TotalMilliseconds))} ms");
    }

    [Fact]
    public async Task InjectAsync_Region_OnlyThatRegionsReplicas()
    {
        var fault = await env.InjectAsync(FaultTypes.NetworkLatency, new NetworkLatencyOptions { Name = "east", Region = "us-east", Delay = Delay });
        await fault.RevertAsync(CancellationToken.None);
        Assert.Equal("us-east-1", fault.Details["replicas"]);
    }
}
