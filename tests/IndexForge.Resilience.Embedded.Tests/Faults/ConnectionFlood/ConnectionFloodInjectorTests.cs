using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.ConnectionFlood;
using Xunit;

namespace IndexForge.Resilience.Embedded.Tests.Faults.ConnectionFlood;

[Collection(TightPoolCollection.Name)]
public sealed class ConnectionFloodInjectorTests(TightPoolFixture env)
{
    [Fact]
    public async Task InjectAsync_BeyondTheConnectionPool_OverflowsAndStopsAtRevert()
    {
        var fault = await env.InjectAsync(FaultTypes.ConnectionFlood, new ConnectionFloodOptions { Name = "flood", Connections = 40, Hold = TimeSpan.FromMilliseconds(300) });
        await Task.Delay(TimeSpan.FromSeconds(2));
        await fault.RevertAsync(CancellationToken.None);

        Assert.True(long.Parse(fault.Details["requestsSent"]) > 40, string.Join("; ", fault.Details));
        Assert.True(long.Parse(fault.Details["overflow503"]) > 0, string.Join("; ", fault.Details));
        Assert.True(long.Parse(fault.Details["meshPendingOverflow"]) > 0, string.Join("; ", fault.Details));
        // Stopped: nothing reaches the sidecar any more — neither served nor overflowed requests.
        var resources = env.Runtime.Mesh.Resources;
        var (requests, overflow) = (resources.RequestsTotal, resources.PendingOverflow);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.True(resources.RequestsTotal - requests <= 2, "the flood kept sending after its revert");
        // A running flood overflows thousands a second here; each worker may leave at most one straggler.
        Assert.True(resources.PendingOverflow - overflow <= 40, $"overflow grew by {resources.PendingOverflow - overflow} after the revert");
        // Not asserted here: a request straight after the flood on this one-connection pool sometimes waits
        // for a connection slot the cancelled flood left counted (a known data-plane pool bug, docs/mesh.md).
    }
}

[Collection(HardenedCollection.Name)]
public sealed class ConnectionFloodWithinLimitsTests(HardenedFixture env)
{
    /// <summary>Negative control: the same flood within hardened-fast's pool (100 connections, 1000 requests) overflows nothing.</summary>
    [Fact]
    public async Task InjectAsync_WithinThePool_NoOverflow()
    {
        Assert.Equal(200, (await env.GetAsync()).Status); // warm: a cold first mTLS handshake on a loaded machine can take the whole window
        var fault = await env.InjectAsync(FaultTypes.ConnectionFlood, new ConnectionFloodOptions { Name = "small", Connections = 10, Hold = TimeSpan.FromMilliseconds(300) });
        await Task.Delay(TimeSpan.FromSeconds(2));
        await fault.RevertAsync(CancellationToken.None);

        Assert.True(long.Parse(fault.Details["requestsSent"]) > 10, string.Join("; ", fault.Details));
        Assert.Equal("0", fault.Details["overflow503"]);
        Assert.Equal("0", fault.Details["meshPendingOverflow"]);
    }
}
