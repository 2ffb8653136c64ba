using IndexForge.Resilience.Mesh.Config;

namespace IndexForge.Resilience.Mesh.Pool;

/// <summary>
/// The cluster's circuit-breaker thresholds and connection options as Istio sets them from
/// connectionPool (applyConnectionPool): unset or 0 means Istio's default, 2^32-1 (unlimited).
/// </summary>
public sealed record CircuitBreakerSettings
{
    /// <summary>max_connections: connections to all hosts of the cluster (Envoy enforces it per cluster).</summary>
    public int MaxConnections { get; init; } = int.MaxValue;
    /// <summary>max_pending_requests: requests waiting for a ready connection (http1MaxPendingRequests).</summary>
    public int MaxPendingRequests { get; init; } = int.MaxValue;
    /// <summary>max_requests: active requests in the cluster (http2MaxRequests).</summary>
    public int MaxRequests { get; init; } = int.MaxValue;
    /// <summary>max_retries: retries outstanding at once.</summary>
    public int MaxRetries { get; init; } = int.MaxValue;
    /// <summary>max_requests_per_connection; 0 is unlimited.</summary>
    public int MaxRequestsPerConnection { get; init; }
    /// <summary>Istio's default connect timeout is 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = PoolConstants.ConnectTimeout;
    public TimeSpan? MaxConnectionDuration { get; init; }
    /// <summary>Istio's default idle timeout of upstream connections is 1 h.</summary>
    public TimeSpan IdleTimeout { get; init; } = PoolConstants.IdleTimeout;

    public static CircuitBreakerSettings FromIstio(ConnectionPoolSettings? pool)
    {
        if (pool is null) return new CircuitBreakerSettings();
        static int Limit(int? v) => v is > 0 ? v.Value : int.MaxValue;
        return new CircuitBreakerSettings
        {
            MaxConnections = Limit(pool.MaxConnections),
            MaxPendingRequests = Limit(pool.Http1MaxPendingRequests),
            MaxRequests = Limit(pool.Http2MaxRequests),
            MaxRetries = Limit(pool.MaxRetries),
            MaxRequestsPerConnection = pool.MaxRequestsPerConnection ?? 0,
            ConnectTimeout = pool.ConnectTimeout ?? PoolConstants.ConnectTimeout,
            MaxConnectionDuration = pool.MaxConnectionDuration,
            IdleTimeout = pool.HttpIdleTimeout ?? PoolConstants.IdleTimeout,
        };
    }
}

public static class PoolConstants
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(1);
}

/// <summary>Envoy's per-cluster resource manager and the upstream counters Istio exports.</summary>
public sealed class ClusterResources(CircuitBreakerSettings settings)
{
    private int _connections, _pending, _requests, _retries;
    private long _pendingOverflow, _cxOverflow, _retryOverflow, _cxTotal, _cxMaxRequests, _rqTotal, _rqRetry, _cxConnectFail, _rqTimeout;

    public CircuitBreakerSettings Settings { get; } = settings;

    public int ActiveConnections => Volatile.Read(ref _connections);
    public int PendingRequests => Volatile.Read(ref _pending);
    public int ActiveRequests => Volatile.Read(ref _requests);
    public int ActiveRetries => Volatile.Read(ref _retries);

    /// <summary>upstream_rq_pending_overflow: requests refused by max_pending_requests or max_requests (503 UO).</summary>
    public long PendingOverflow => Interlocked.Read(ref _pendingOverflow);
    public long ConnectionOverflow => Interlocked.Read(ref _cxOverflow);
    public long RetryOverflow => Interlocked.Read(ref _retryOverflow);
    public long ConnectionsTotal => Interlocked.Read(ref _cxTotal);
    public long ConnectionsClosedAtMaxRequests => Interlocked.Read(ref _cxMaxRequests);
    public long RequestsTotal => Interlocked.Read(ref _rqTotal);
    public long Retries => Interlocked.Read(ref _rqRetry);
    public long ConnectFailures => Interlocked.Read(ref _cxConnectFail);
    public long Timeouts => Interlocked.Read(ref _rqTimeout);

    internal bool TryAcquireConnection() => TryAcquire(ref _connections, Settings.MaxConnections);
    internal void ReleaseConnection() => Interlocked.Decrement(ref _connections);
    internal bool TryAcquirePending() => TryAcquire(ref _pending, Settings.MaxPendingRequests);
    internal void ReleasePending() => Interlocked.Decrement(ref _pending);
    internal bool TryAcquireRequest() => TryAcquire(ref _requests, Settings.MaxRequests);
    internal void ReleaseRequest() => Interlocked.Decrement(ref _requests);

    /// <summary>A retry slot (max_retries); false counts upstream_rq_retry_overflow.</summary>
    public bool TryAcquireRetry()
    {
        if (TryAcquire(ref _retries, Settings.MaxRetries))
        {
            Interlocked.Increment(ref _rqRetry);
            return true;
        }
        Interlocked.Increment(ref _retryOverflow);
        return false;
    }

    public void ReleaseRetry() => Interlocked.Decrement(ref _retries);

    internal void CountPendingOverflow() => Interlocked.Increment(ref _pendingOverflow);
    internal void CountConnectionOverflow() => Interlocked.Increment(ref _cxOverflow);
    internal void CountConnection() => Interlocked.Increment(ref _cxTotal);
    internal void CountConnectionAtMaxRequests() => Interlocked.Increment(ref _cxMaxRequests);
    internal void CountRequest() => Interlocked.Increment(ref _rqTotal);
    public void CountConnectFailure() => Interlocked.Increment(ref _cxConnectFail);
    public void CountTimeout() => Interlocked.Increment(ref _rqTimeout);

    private static bool TryAcquire(ref int counter, int max)
    {
        while (true)
        {
            var current = Volatile.Read(ref counter);
            if (current >= max) return false;
            if (Interlocked.CompareExchange(ref counter, current + 1, current) == current) return true;
        }
    }
}
