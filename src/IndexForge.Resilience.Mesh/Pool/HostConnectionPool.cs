namespace IndexForge.Resilience.Mesh.Pool;

/// <summary>
/// Envoy's HTTP/1.1 connection pool for one upstream host: one request at a time per connection,
/// a ready connection serves a request at once; otherwise the request is pending (max_pending_requests,
/// counted until its connection is connected) while a new connection is made if max_connections
/// allows (else upstream_cx_overflow, and it waits for a connection to free up). A connection closes
/// after max_requests_per_connection requests. The idle path takes no lock.
/// </summary>
public sealed class HostConnectionPool : IDisposable
{
    private readonly ClusterResources _resources;
    private readonly Func<UpstreamConnection> _create;
    private readonly Stack<UpstreamConnection> _idle = new();
    private readonly Queue<Waiter> _waiters = new();
    private readonly object _lock = new();
    private int _waiting;
    private bool _disposed;

    public HostConnectionPool(ClusterResources resources, Func<UpstreamConnection> create)
    {
        _resources = resources;
        _create = create;
    }

    public int IdleConnections
    {
        get { lock (_lock) return _idle.Count; }
    }

    /// <summary>A connection for one request, or null on overflow (the caller answers 503 UO).</summary>
    public async ValueTask<UpstreamConnection?> AcquireAsync(CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_waiting == 0 && _idle.TryPop(out var ready)) return Attach(ready);
            if (!_resources.TryAcquirePending())
            {
                _resources.CountPendingOverflow();
                return null;
            }
            waiter = new Waiter();
            _waiters.Enqueue(waiter);
            _waiting++;
            DispatchLocked();
        }
        UpstreamConnection connection;
        try
        {
            await using var _ = cancellationToken.Register(static w => ((Waiter)w!).TrySetCanceled(), waiter);
            connection = await waiter.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _resources.ReleasePending();
            throw;
        }
        if (!connection.IsNew)
        {
            _resources.ReleasePending();
        }
        else if (!connection.ArmPendingRelease(_resources.ReleasePending))
        {
            _resources.ReleasePending(); // connected already (cannot happen for a fresh connection, kept for safety)
        }
        var attached = Attach(connection);
        if (attached is null && connection.IsNew) connection.DisarmPendingRelease(_resources.ReleasePending);
        return attached;
    }

    /// <summary>Returns a connection after its request: back to a waiting request or the idle set, or closed.</summary>
    public void Release(UpstreamConnection connection, bool reusable)
    {
        _resources.ReleaseRequest();
        connection.DisarmPendingRelease(_resources.ReleasePending);
        var served = ++connection.RequestsServed;
        var max = _resources.Settings.MaxRequestsPerConnection;
        if (!reusable || (max > 0 && served >= max))
        {
            if (reusable) _resources.CountConnectionAtMaxRequests();
            Close(connection);
            lock (_lock) DispatchLocked();
            return;
        }
        connection.IsNew = false;
        lock (_lock)
        {
            if (_disposed)
            {
                Close(connection);
                return;
            }
            _idle.Push(connection);
            DispatchLocked();
        }
    }

    private UpstreamConnection? Attach(UpstreamConnection connection)
    {
        if (_resources.TryAcquireRequest())
        {
            _resources.CountRequest();
            return connection;
        }
        _resources.CountPendingOverflow(); // Envoy counts max_requests overflow here too
        lock (_lock)
        {
            _idle.Push(connection);
            DispatchLocked();
        }
        return null;
    }

    /// <summary>Hands idle connections to waiting requests, and opens new ones for the rest while max_connections allows.</summary>
    private void DispatchLocked()
    {
        while (_waiters.Count > 0)
        {
            var waiter = _waiters.Peek();
            if (waiter.Task.IsCompleted)
            {
                _waiters.Dequeue();
                _waiting--;
                continue;
            }
            UpstreamConnection connection;
            if (_idle.TryPop(out var idle)) connection = idle;
            else if (!_disposed && _resources.TryAcquireConnection())
            {
                connection = _create();
                connection.IsNew = true;
                _resources.CountConnection();
            }
            else
            {
                if (!_disposed) _resources.CountConnectionOverflow();
                return;
            }
            _waiters.Dequeue();
            _waiting--;
            if (!waiter.TrySetResult(connection))
            {
                if (connection.IsNew) Close(connection);
                else _idle.Push(connection);
            }
        }
    }

    private void Close(UpstreamConnection connection)
    {
        connection.Dispose();
        _resources.ReleaseConnection();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            while (_idle.TryPop(out var c)) Close(c);
            while (_waiters.TryDequeue(out var w)) w.TrySetCanceled();
            _waiting = 0;
        }
    }

    private sealed class Waiter() : TaskCompletionSource<UpstreamConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>One upstream connection (an HTTP/1.1 client limited to one socket) and its request count.</summary>
public sealed class UpstreamConnection(HttpMessageInvoker invoker) : IDisposable
{
    private Action? _onConnected;

    public HttpMessageInvoker Invoker { get; } = invoker;
    public int RequestsServed { get; internal set; }
    /// <summary>True until its first request has connected it.</summary>
    public bool IsNew { get; internal set; }

    /// <summary>Called by the connect callback once TCP (and TLS) are up: the request stops being pending.</summary>
    public void Connected() => Interlocked.Exchange(ref _onConnected, null)?.Invoke();

    internal bool ArmPendingRelease(Action release)
    {
        Volatile.Write(ref _onConnected, release);
        return true;
    }

    /// <summary>Runs the pending release if the connection never connected (a failed connect or an overflow).</summary>
    internal void DisarmPendingRelease(Action release)
    {
        if (Interlocked.Exchange(ref _onConnected, null) is not null) release();
    }

    public void Dispose() => Invoker.Dispose();
}
