using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks.Sources;
using IndexForge.Resilience.Core.Load.Recording;
using IndexForge.Resilience.Core.Load.Sending;

namespace IndexForge.Resilience.Core.Load.Http;

/// <summary>A request of the mix serialised once: head and body bytes, ready for the wire.</summary>
internal sealed class Http1Request
{
    public static ReadOnlySpan<byte> CredentialPrefix => "x-indexforge-api-key: "u8;

    public Http1Request(RequestSpec spec, Uri baseAddress)
    {
        var target = new Uri(baseAddress, spec.Path);
        var head = new StringBuilder();
        head.Append(spec.Method).Append(' ').Append(target.PathAndQuery).Append(" HTTP/1.1\r\n");
        head.Append("Host: ").Append(target.IsDefaultPort ? target.Host : target.Authority).Append("\r\n");
        foreach (var (name, value) in spec.Headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        var body = spec.Body is null ? [] : Encoding.UTF8.GetBytes(spec.Body);
        if (spec.Body is not null)
        {
            head.Append("Content-Type: ").Append(spec.ContentType ?? "application/json").Append("\r\n");
            head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());
        HeadLength = headBytes.Length;
        Bytes = [.. headBytes, .. "\r\n"u8, .. body];
        IsHead = spec.Method == "HEAD";
    }

    /// <summary>Head lines, blank line, body.</summary>
    public byte[] Bytes { get; }

    /// <summary>Length of the head lines, where a credential header is inserted.</summary>
    public int HeadLength { get; }

    public bool IsHead { get; }
}

/// <summary>Where one transport's connections go, and what they share.</summary>
internal sealed class Http1Endpoint(IPEndPoint address, SslClientAuthenticationOptions? tls)
{
    public IPEndPoint Address { get; } = address;

    public SslClientAuthenticationOptions? Tls { get; } = tls;

    public LabelCache Labels { get; } = new();
}

/// <summary>
/// HTTP/1.1 for the load path: our own keep-alive pool of <see cref="LoadSpec.Connections"/>
/// connections per endpoint, pre-serialised requests and an allocation-free response parser.
/// SocketsHttpHandler costs ~40 µs of CPU per request on the 2-core machine against ~17 µs for
/// wrk; this costs about what wrk does (docs/benchmarks.md). A request waits for a free
/// connection (open model: inside its in-flight slot); idle connections and waiters are
/// lock-free queues.
/// </summary>
internal sealed class Http1Transport : ILoadTransport
{
    private readonly Http1Request[] _requests;
    private readonly Func<string?>? _credential;
    private readonly Http1Endpoint _endpoint;
    private readonly int _maxConnections;
    private readonly ConcurrentQueue<Http1Connection> _idle = new();
    private readonly ConcurrentQueue<Waiter> _waiters = new();
    private readonly ConcurrentBag<Http1Connection> _all = [];
    private int _created;

    public Http1Transport(LoadEndpoint endpoint, LoadPlan plan)
    {
        var uri = endpoint.BaseAddress;
        _requests = [.. plan.Spec.Requests.Select(r => new Http1Request(r, uri))];
        _credential = plan.Credential;
        _maxConnections = plan.Spec.Connections;
        var address = IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip)
            ? ip
            : Dns.GetHostAddresses(uri.DnsSafeHost).OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First();
        SslClientAuthenticationOptions? tls = null;
        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            tls = new SslClientAuthenticationOptions
            {
                TargetHost = uri.IdnHost,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            };
            if (endpoint.Tls is { } client)
            {
                tls.ClientCertificates = [client.ClientCertificate];
                tls.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => HttpLoadTransport.ChainsTo(client.TrustedRoot, certificate, chain, errors);
            }
        }
        _endpoint = new Http1Endpoint(new IPEndPoint(address, uri.Port), tls);
    }

    public ValueTask<SendOutcome> SendAsync(int request, long intended, CancellationToken cancellationToken)
    {
        // The connection's own frame is the only async one on the usual path (a free connection).
        if (TryAcquire(out var connection)) return connection.SendAsync(this, _requests[request], _credential?.Invoke(), cancellationToken);
        return WaitThenSendAsync(request, cancellationToken);
    }

    private async ValueTask<SendOutcome> WaitThenSendAsync(int request, CancellationToken cancellationToken)
    {
        var connection = await WaitAsync(cancellationToken).ConfigureAwait(false);
        if (connection is null) return new SendOutcome(0, ErrorClass.Timeout);
        return await connection.SendAsync(this, _requests[request], _credential?.Invoke(), cancellationToken).ConfigureAwait(false);
    }

    private bool TryAcquire(out Http1Connection connection)
    {
        if (_idle.TryDequeue(out connection!)) return true;
        if (Interlocked.Increment(ref _created) <= _maxConnections)
        {
            connection = new Http1Connection(_endpoint);
            _all.Add(connection);
            return true;
        }
        Interlocked.Decrement(ref _created);
        return false;
    }

    private async ValueTask<Http1Connection?> WaitAsync(CancellationToken cancellationToken)
    {
        var waiter = new Waiter();
        _waiters.Enqueue(waiter);
        // A connection released between our look at the idle queue and the enqueue above would
        // otherwise sit idle while we wait: look again, and take it unless a releaser served us first.
        if (_idle.TryDequeue(out var late))
        {
            if (waiter.TryCancel()) return late;
            Release(late);
        }
        using var registration = cancellationToken.UnsafeRegister(static w => ((Waiter)w!).TryCancel(), waiter);
        return await new ValueTask<Http1Connection?>(waiter, 0).ConfigureAwait(false);
    }

    public void Release(Http1Connection connection)
    {
        while (true)
        {
            while (_waiters.TryDequeue(out var waiter))
            {
                if (waiter.TryFulfil(connection)) return;
            }
            _idle.Enqueue(connection);
            // Same race from the other side: a waiter that enqueued after our look must still be served.
            if (_waiters.IsEmpty || !_idle.TryDequeue(out connection!)) return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _all) await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A request waiting for a connection: fulfilled by a releaser or cancelled, whichever comes first.</summary>
    private sealed class Waiter : IValueTaskSource<Http1Connection?>
    {
        private const int Waiting = 0, Fulfilled = 1, Cancelled = 2;
        private ManualResetValueTaskSourceCore<Http1Connection?> _core = new() { RunContinuationsAsynchronously = true };
        private int _state;

        public bool TryFulfil(Http1Connection connection)
        {
            if (Interlocked.CompareExchange(ref _state, Fulfilled, Waiting) != Waiting) return false;
            _core.SetResult(connection);
            return true;
        }

        public bool TryCancel()
        {
            if (Interlocked.CompareExchange(ref _state, Cancelled, Waiting) != Waiting) return false;
            _core.SetResult(null);
            return true;
        }

        public Http1Connection? GetResult(short token) => _core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}

/// <summary>
/// Replica and region names interned from response bytes, so a response does not allocate a
/// string for a name seen before. Copy-on-write and bounded: beyond the cap a name is decoded
/// each time (and the recorder folds it into "(other)").
/// </summary>
internal sealed class LabelCache
{
    private (byte[] Bytes, string Value)[] _entries = [];

    public string Get(ReadOnlySpan<byte> bytes)
    {
        var entries = Volatile.Read(ref _entries);
        foreach (var (key, value) in entries)
        {
            if (bytes.SequenceEqual(key)) return value;
        }
        var text = Encoding.UTF8.GetString(bytes);
        if (entries.Length < LoadConstants.MaxDistinctLabels * 2)
        {
            Interlocked.CompareExchange(ref _entries, [.. entries, (bytes.ToArray(), text)], entries);
        }
        return text;
    }
}
