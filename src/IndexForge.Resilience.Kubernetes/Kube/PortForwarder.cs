using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using k8s;

namespace IndexForge.Resilience.Kubernetes.Kube;

/// <summary>
/// kubectl port-forward in process: listens on 127.0.0.1:0 and carries each accepted connection
/// over its own port-forward WebSocket to <c>pod:port</c>. Port-forward enters the pod's network
/// namespace on loopback, so it reaches the app directly, beside the sidecar's mTLS listener —
/// which is why the chaos control endpoint and Vault are reached this way.
/// </summary>
/// <remarks>
/// Protocol (channel.k8s.io, as the kubelet speaks it): every binary message starts with a channel
/// byte, 0 = data and 1 = error for the first requested port; the first message of each channel
/// carries the port number as two little-endian bytes before any payload.
/// </remarks>
public sealed class PortForwarder : IPodChannel
{
    private readonly IKubernetes _client;
    private readonly string _ns;
    private readonly string _pod;
    private readonly int _port;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _disposed;

    private PortForwarder(IKubernetes client, string ns, string pod, int port)
    {
        (_client, _ns, _pod, _port) = (client, ns, pod, port);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        LocalAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _acceptLoop = AcceptLoopAsync(_stop.Token);
    }

    /// <summary>http://127.0.0.1:PORT/ — use https with the same authority for a TLS server such as Vault.</summary>
    public Uri LocalAddress { get; }

    public int LocalPort => LocalAddress.Port;

    /// <summary>The last error the kubelet sent on the error channel (empty while none).</summary>
    public string LastError { get; private set; } = "";

    public static PortForwarder Start(IKubernetes client, string ns, string pod, int port) => new(client, ns, pod, port);

    private async Task AcceptLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient tcp;
            try
            {
                tcp = await _listener.AcceptTcpClientAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(tcp, ct), CancellationToken.None);
        }
    }

    private async Task ServeAsync(TcpClient tcp, CancellationToken ct)
    {
        using var _ = tcp;
        WebSocket socket;
        try
        {
            socket = await _client.WebSocketNamespacedPodPortForwardAsync(_pod, _ns, [_port], "v4.channel.k8s.io", cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LastError = $"port-forward to {_ns}/{_pod}:{_port} failed: {e.Message}";
            return; // closing the TCP connection is how the local client learns of it
        }
        using (socket)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var stream = tcp.GetStream();
            var up = PumpUpAsync(stream, socket, linked.Token);
            var down = PumpDownAsync(socket, stream, linked.Token);
            await Task.WhenAny(up, down).ConfigureAwait(false);
            await linked.CancelAsync().ConfigureAwait(false);
            try
            {
                if (socket.State == WebSocketState.Open)
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task PumpUpAsync(NetworkStream from, WebSocket to, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                // Byte 0 stays the channel; the payload is read right after it, no copy needed.
                var n = await from.ReadAsync(buffer.AsMemory(1, buffer.Length - 1), ct).ConfigureAwait(false);
                if (n == 0) return;
                buffer[0] = 0;
                await to.SendAsync(buffer.AsMemory(0, n + 1), WebSocketMessageType.Binary, true, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task PumpDownAsync(WebSocket from, NetworkStream to, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var portPrefixPending = new[] { true, true };
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var message = new MemoryStream();
                ValueWebSocketReceiveResult r;
                do
                {
                    r = await from.ReceiveAsync(buffer.AsMemory(), ct).ConfigureAwait(false);
                    if (r.MessageType == WebSocketMessageType.Close) return;
                    message.Write(buffer, 0, r.Count);
                }
                while (!r.EndOfMessage);
                if (message.Length == 0) continue;
                var bytes = message.GetBuffer().AsMemory(0, (int)message.Length);
                var channel = bytes.Span[0];
                var payload = bytes[1..];
                if (channel > 1) continue;
                if (portPrefixPending[channel])
                {
                    if (payload.Length < 2) continue;
                    portPrefixPending[channel] = false;
                    payload = payload[2..];
                }
                if (payload.Length == 0) continue;
                if (channel == 0)
                {
                    await to.WriteAsync(payload, ct).ConfigureAwait(false);
                }
                else
                {
                    LastError = Encoding.UTF8.GetString(payload.Span);
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
