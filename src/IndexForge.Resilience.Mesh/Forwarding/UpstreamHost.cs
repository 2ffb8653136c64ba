using IndexForge.Resilience.Mesh.Pool;

namespace IndexForge.Resilience.Mesh.Forwarding;

/// <summary>One upstream host of the cluster: its endpoint, connection pool, TLS decision and injected network latency.</summary>
internal sealed class UpstreamHost : IDisposable
{
    private NetworkLatency? _latency;
    private HostConnectionPool _pool;

    public UpstreamHost(int index, MeshEndpoint endpoint, bool mutualTls, HostConnectionPool pool)
    {
        Index = index;
        Endpoint = endpoint;
        MutualTls = mutualTls;
        _pool = pool;
        BaseUrl = $"http://{endpoint.Address.Authority}"; // TLS (when used) is set up by the connect callback
    }

    public int Index { get; }
    public MeshEndpoint Endpoint { get; private set; }
    public bool MutualTls { get; }
    public string BaseUrl { get; private set; }
    public HostConnectionPool Pool => Volatile.Read(ref _pool);

    public NetworkLatency? Latency
    {
        get => Volatile.Read(ref _latency);
        set => Volatile.Write(ref _latency, value);
    }

    /// <summary>Points the host at a new address (a restarted replica); its outlier state is kept, its connections are not.</summary>
    public void Readdress(MeshEndpoint endpoint, HostConnectionPool pool)
    {
        Endpoint = endpoint;
        BaseUrl = $"http://{endpoint.Address.Authority}";
        Interlocked.Exchange(ref _pool, pool).Dispose();
    }

    public void Dispose() => Pool.Dispose();
}

/// <summary>Added one-way latency on the network path to a host (user space: the kernel has no netem here).</summary>
public sealed record NetworkLatency(TimeSpan Delay, TimeSpan Jitter);
