using k8s;

namespace IndexForge.Resilience.Kubernetes.Kube;

/// <summary>A local address that reaches one pod port for as long as it is not disposed.</summary>
public interface IPodChannel : IAsyncDisposable
{
    /// <summary>http://127.0.0.1:PORT/</summary>
    Uri LocalAddress { get; }
}

public interface IPodChannelFactory
{
    Task<IPodChannel> OpenAsync(string ns, string pod, int port, CancellationToken ct);
}

/// <summary>Pod channels through the API server's port-forward.</summary>
public sealed class PortForwardChannels(IKubernetes client) : IPodChannelFactory
{
    public Task<IPodChannel> OpenAsync(string ns, string pod, int port, CancellationToken ct) =>
        Task.FromResult<IPodChannel>(PortForwarder.Start(client, ns, pod, port));
}
