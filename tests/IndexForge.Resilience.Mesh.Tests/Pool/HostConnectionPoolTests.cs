using IndexForge.Resilience.Mesh.Config;
using IndexForge.Resilience.Mesh.Pool;
using Xunit;

namespace IndexForge.Resilience.Mesh.Tests.Pool;

public class HostConnectionPoolTests
{
    private static (HostConnectionPool Pool, ClusterResources Resources, List<UpstreamConnection> Created) Pool(CircuitBreakerSettings settings)
    {
        var resources = new ClusterResources(settings);
        var created = new List<UpstreamConnection>();
        var pool = new HostConnectionPool(resources, () =>
        {
            var c = new UpstreamConnection(new HttpMessageInvoker(new SocketsHttpHandler()));
            created.Add(c);
            return c;
        });
        return (pool, resources, created);
    }

    [Fact]
    public async Task AcquireAsync_ReadyConnection_ReusedWithoutPending()
    {
        var (pool, resources, created) = Pool(new CircuitBreakerSettings());
        var first = (await pool.AcquireAsync(CancellationToken.None))!;
        first.Connected(); // the connect callback ran
        pool.Release(first, reusable: true);
        var second = await pool.AcquireAsync(CancellationToken.None);
        Assert.Same(first, second);
        Assert.Single(created);
        Assert.Equal(0, resources.PendingRequests);
        Assert.Equal(1, resources.ActiveRequests);
    }

    [Fact]
    public async Task AcquireAsync_PendingLimitWhileConnecting_OverflowsAndCounts()
    {
        var (pool, resources, _) = Pool(new CircuitBreakerSettings { MaxConnections = 1, MaxPendingRequests = 1 });
        var connecting = await pool.AcquireAsync(CancellationToken.None); // pending until connected
        Assert.NotNull(connecting);
        Assert.Equal(1, resources.PendingRequests);

        Assert.Null(await pool.AcquireAsync(CancellationToken.None));
        Assert.Equal(1, resources.PendingOverflow);

        connecting!.Connected();
        Assert.Equal(0, resources.PendingRequests);
        var waiting = pool.AcquireAsync(CancellationToken.None).AsTask(); // waits for the only connection
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, resources.ConnectionOverflow);
        pool.Release(connecting, reusable: true);
        Assert.Same(connecting, await waiting);
        Assert.Equal(0, resources.PendingRequests);
    }

    [Fact]
    public async Task AcquireAsync_MaxRequestsReached_Overflows()
    {
        var (pool, resources, _) = Pool(new CircuitBreakerSettings { MaxRequests = 1 });
        var a = (await pool.AcquireAsync(CancellationToken.None))!;
        a.Connected();
        Assert.Null(await pool.AcquireAsync(CancellationToken.None));
        Assert.Equal(1, resources.PendingOverflow);
        pool.Release(a, reusable: true);
        Assert.NotNull(await pool.AcquireAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Release_MaxRequestsPerConnection_ClosesAndOpensANewOne()
    {
        var (pool, resources, created) = Pool(CircuitBreakerSettings.FromIstio(new ConnectionPoolSettings { MaxRequestsPerConnection = 2 }));
        for (var i = 0; i < 5; i++)
        {
            var c = (await pool.AcquireAsync(CancellationToken.None))!;
            c.Connected();
            pool.Release(c, reusable: true);
        }
        Assert.Equal(3, created.Count); // 2 + 2 + 1 requests
        Assert.Equal(2, resources.ConnectionsClosedAtMaxRequests);
        Assert.Equal(1, resources.ActiveConnections);
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhilePending_ReleasesThePendingSlot()
    {
        var (pool, resources, _) = Pool(new CircuitBreakerSettings { MaxConnections = 1 });
        var a = (await pool.AcquireAsync(CancellationToken.None))!;
        a.Connected();
        using var cts = new CancellationTokenSource();
        var waiting = pool.AcquireAsync(cts.Token).AsTask();
        Assert.Equal(1, resources.PendingRequests);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, resources.PendingRequests);
        pool.Release(a, reusable: true);
        Assert.Same(a, await pool.AcquireAsync(CancellationToken.None));
    }

    [Fact]
    public void FromIstio_ZeroOrUnset_IsUnlimited()
    {
        var s = CircuitBreakerSettings.FromIstio(new ConnectionPoolSettings { MaxConnections = 0, Http2MaxRequests = 10 });
        Assert.Equal(int.MaxValue, s.MaxConnections);
        Assert.Equal(10, s.MaxRequests);
        Assert.Equal(TimeSpan.FromSeconds(10), s.ConnectTimeout);
    }
}
