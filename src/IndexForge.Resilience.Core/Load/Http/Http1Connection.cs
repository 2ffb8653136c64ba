using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using IndexForge.Resilience.Core.Load.Recording;

namespace IndexForge.Resilience.Core.Load.Http;

/// <summary>
/// One keep-alive HTTP/1.1 connection (cleartext or TLS), carrying one request at a time. Its
/// buffers live as long as the connection, so a request allocates nothing here. A failed or
/// timed-out request closes the connection; the next request on it reconnects.
/// </summary>
internal sealed class Http1Connection : IAsyncDisposable
{
    private const int BufferSize = 16 * 1024;
    private readonly Http1Endpoint _endpoint;
    private readonly byte[] _buffer = new byte[BufferSize];
    private byte[] _send = new byte[1024];
    private Socket? _socket;
    private SslStream? _tls;
    private int _start;
    private int _end;
    private bool _reused;
    private bool _received;

    public Http1Connection(Http1Endpoint endpoint) => _endpoint = endpoint;

    /// <summary>
    /// One request and its response, in one (pooled) async frame; the connection goes back to
    /// <paramref name="pool"/> at the end whatever happened.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<SendOutcome> SendAsync(Http1Transport pool, Http1Request request, string? credential, CancellationToken cancellationToken)
    {
        try
        {
            using var abort = cancellationToken.UnsafeRegister(static s => ((Http1Connection)s!).Abort(), this);
            for (var attempt = 0; ; attempt++)
            {
                if (_socket is null)
                {
                    var failure = await ConnectAsync(cancellationToken).ConfigureAwait(false);
                    if (failure != ErrorClass.None) return new SendOutcome(0, cancellationToken.IsCancellationRequested ? ErrorClass.Timeout : failure);
                }
                var reused = _reused;
                _received = false;
                try
                {
                    var bytes = RequestBytes(request, credential);
                    if (_endpoint.Tls is not null) await Tls.WriteAsync(bytes).ConfigureAwait(false);
                    else
                    {
                        var sent = await Socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
                        if (sent < bytes.Length) await SendAllAsync(Socket, bytes[sent..]).ConfigureAwait(false);
                    }
                    while (true)
                    {
                        Http1Head head;
                        int headLength;
                        while ((headLength = Http1Parser.ParseHead(_buffer.AsSpan(_start, _end - _start), out head)) == Http1Parser.Incomplete)
                        {
                            if (_end == _buffer.Length)
                            {
                                if (_start == 0) throw new InvalidDataException("response head larger than " + BufferSize + " bytes");
                                Compact();
                            }
                            var n = await ReceiveAsync(_buffer.AsMemory(_end)).ConfigureAwait(false);
                            if (n == 0) throw new IOException("the response ended prematurely");
                            _received = true;
                            _end += n;
                        }
                        if (headLength == Http1Parser.Malformed) throw new InvalidDataException("malformed response head");
                        var headStart = _start;
                        _start += headLength;
                        // 1xx informational responses precede the real one.
                        if (head.Status < 200) continue;
                        var replica = head.Replica.End.Value > 0 ? _endpoint.Labels.Get(_buffer.AsSpan(headStart)[head.Replica]) : null;
                        var region = head.Region.End.Value > 0 ? _endpoint.Labels.Get(_buffer.AsSpan(headStart)[head.Region]) : null;
                        if (!Http1Parser.HasNoBody(head, request.IsHead))
                        {
                            // The usual small body is already in the buffer; anything else reads on.
                            if (!head.Chunked && head.ContentLength >= 0 && head.ContentLength <= _end - _start) _start += (int)head.ContentLength;
                            else await SkipBodyAsync(head).ConfigureAwait(false);
                        }
                        if (head.Close) Close();
                        _reused = true;
                        return new SendOutcome(head.Status, ErrorClassifier.FromStatus(head.Status, head.EnvoyOverloaded), replica, region);
                    }
                }
                catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or InvalidDataException or AuthenticationException)
                {
                    Close();
                    if (cancellationToken.IsCancellationRequested) return new SendOutcome(0, ErrorClass.Timeout);
                    // A kept-alive connection the server had already closed: retry once on a new one, as HTTP clients do.
                    if (reused && !_received && attempt == 0 && e is not InvalidDataException) continue;
                    return new SendOutcome(0, Classify(e));
                }
            }
        }
        finally
        {
            pool.Release(this);
        }
    }

    private static ErrorClass Classify(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is SocketException s)
            {
                return s.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => ErrorClass.ConnectionRefused,
                    SocketError.TimedOut => ErrorClass.Timeout,
                    _ => ErrorClass.ConnectionReset,
                };
            }
            if (x is InvalidDataException) return ErrorClass.Other;
            if (x is AuthenticationException) return ErrorClass.TlsHandshake;
        }
        // End of stream before a whole response ("response ended prematurely").
        return ErrorClass.ConnectionReset;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ErrorClass> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(_endpoint.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket = socket;
        _start = _end = 0;
        _reused = false;
        try
        {
            await socket.ConnectAsync(_endpoint.Address, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            Close();
            return e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => ErrorClass.ConnectionRefused,
                SocketError.TimedOut => ErrorClass.Timeout,
                _ => ErrorClass.Other,
            };
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            Close();
            return ErrorClass.Timeout;
        }
        if (_endpoint.Tls is null) return ErrorClass.None;
        try
        {
            _tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
            await _tls.AuthenticateAsClientAsync(_endpoint.Tls, cancellationToken).ConfigureAwait(false);
            return ErrorClass.None;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            Close();
            return e is OperationCanceledException ? ErrorClass.Timeout : ErrorClass.TlsHandshake;
        }
    }

    private ReadOnlyMemory<byte> RequestBytes(Http1Request request, string? credential)
    {
        if (credential is null) return request.Bytes;
        // Head, then the credential header, then the blank line and body; the secret never leaves this buffer.
        var need = request.Bytes.Length + Http1Request.CredentialPrefix.Length + credential.Length * 3 + 2;
        if (_send.Length < need) _send = new byte[need * 2];
        var span = _send.AsSpan();
        var head = request.Bytes.AsSpan(0, request.HeadLength);
        head.CopyTo(span);
        var n = head.Length;
        Http1Request.CredentialPrefix.CopyTo(span[n..]);
        n += Http1Request.CredentialPrefix.Length;
        n += System.Text.Encoding.UTF8.GetBytes(credential, span[n..]);
        "\r\n"u8.CopyTo(span[n..]);
        n += 2;
        request.Bytes.AsSpan(request.HeadLength).CopyTo(span[n..]);
        n += request.Bytes.Length - request.HeadLength;
        return _send.AsMemory(0, n);
    }

    // An abort may close the connection between two calls: a closed one throws, never a null reference.
    private Socket Socket => _socket ?? throw new ObjectDisposedException(nameof(Http1Connection));

    private SslStream Tls => _tls ?? throw new ObjectDisposedException(nameof(Http1Connection));

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> bytes)
    {
        while (bytes.Length > 0)
        {
            var sent = await socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    private ValueTask<int> ReceiveAsync(Memory<byte> into) =>
        _endpoint.Tls is not null ? Tls.ReadAsync(into) : Socket.ReceiveAsync(into, SocketFlags.None);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SkipBodyAsync(Http1Head head)
    {
        if (head.Chunked)
        {
            var decoder = new ChunkedDecoder();
            while (true)
            {
                var used = decoder.Consume(_buffer.AsSpan(_start, _end - _start));
                if (used < 0) throw new InvalidDataException("malformed chunked body");
                _start += used;
                if (decoder.Done) return;
                await FillAsync().ConfigureAwait(false);
            }
        }
        if (head.ContentLength >= 0)
        {
            var remaining = head.ContentLength;
            while (true)
            {
                var take = (int)Math.Min(remaining, _end - _start);
                _start += take;
                remaining -= take;
                if (remaining == 0) return;
                await FillAsync().ConfigureAwait(false);
            }
        }
        // No length: the body runs to the end of the connection, which then cannot be reused.
        while (true)
        {
            _start = _end = 0;
            if (await ReceiveAsync(_buffer).ConfigureAwait(false) == 0) break;
        }
        Close();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FillAsync()
    {
        if (_start == _end) _start = _end = 0;
        else if (_end == _buffer.Length) Compact();
        var n = await ReceiveAsync(_buffer.AsMemory(_end)).ConfigureAwait(false);
        if (n == 0) throw new IOException("the response ended prematurely");
        _end += n;
    }

    private void Compact()
    {
        Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
        _end -= _start;
        _start = 0;
    }

    private void Abort() => Close();

    private void Close()
    {
        var socket = Interlocked.Exchange(ref _socket, null);
        var tls = Interlocked.Exchange(ref _tls, null);
        try
        {
            tls?.Dispose();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Closing a broken TLS stream may fail; the socket below is closed regardless.
        }
        socket?.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
