using System.Buffers;
using IndexForge.Resilience.Mesh.Pool;
using IndexForge.Resilience.Mesh.Routing;
using Microsoft.AspNetCore.Http;

namespace IndexForge.Resilience.Mesh.Forwarding;

/// <summary>One upstream attempt and the copying of requests and responses.</summary>
internal sealed partial class MeshProxy
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host",
    };

    private async Task<Outcome> AttemptAsync(HttpContext context, UpstreamHost host, RetryPolicy retry, RequestBody body, CancellationToken routeToken, bool mayRetry)
    {
        var pool = host.Pool;
        UpstreamConnection? connection;
        try
        {
            connection = await pool.AcquireAsync(routeToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return context.RequestAborted.IsCancellationRequested ? Outcome.DownstreamGone : Outcome.Failed(StatusCodes.Status504GatewayTimeout, ResponseFlags.UpstreamRequestTimeout, retriable: false);
        }
        if (connection is null) return Outcome.Failed(StatusCodes.Status503ServiceUnavailable, ResponseFlags.UpstreamOverflow, retriable: false); // Envoy never retries an overflow

        using var perTry = retry.PerTryTimeout is { } pt ? new CancellationTokenSource(pt, _time) : null;
        using var linked = perTry is null ? null : CancellationTokenSource.CreateLinkedTokenSource(perTry.Token, routeToken);
        var token = linked?.Token ?? routeToken;
        _lb.RequestStarted(host.Index);
        HttpResponseMessage? response = null;
        try
        {
            if (host.Latency is { } latency) await Task.Delay(Jittered(latency), _time, token).ConfigureAwait(false);
            using var message = BuildRequest(context, host, body);
            response = await connection.Invoker.SendAsync(message, token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            _detector?.ReportHttpStatus(host.Index, status);
            if (mayRetry && retry.RetriesStatus(status))
            {
                // Keep the response only if it turns out to be the last try: drain it so the connection can be reused.
                await response.Content.LoadIntoBufferAsync(token).ConfigureAwait(false);
                return Outcome.Answered(response, connection, status, retriable: true);
            }
            return Outcome.Answered(response, connection, status, retriable: retry.RetriesStatus(status));
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
        {
            response?.Dispose();
            pool.Release(connection, reusable: false);
            if (context.RequestAborted.IsCancellationRequested) return Outcome.DownstreamGone;
            if (e is OperationCanceledException)
            {
                // A per-try or route timeout: Envoy reports LocalOriginTimeout (504) to outlier detection.
                _detector?.ReportLocalOriginFailure(host.Index, timeout: true);
                _resources.CountTimeout();
                var perTryFired = perTry?.IsCancellationRequested == true && !routeToken.IsCancellationRequested;
                return Outcome.Failed(StatusCodes.Status504GatewayTimeout, ResponseFlags.UpstreamRequestTimeout, retriable: perTryFired && retry.RetriesPerTryTimeout);
            }
            if (Find<UpstreamConnectException>(e) is { } connect)
            {
                _resources.CountConnectFailure();
                _detector?.ReportLocalOriginFailure(host.Index, timeout: connect.Reason == ConnectFailure.Timeout);
                return Outcome.Failed(StatusCodes.Status503ServiceUnavailable, ResponseFlags.UpstreamConnectionFailure, retry.RetriesConnectFailure);
            }
            _detector?.ReportLocalOriginFailure(host.Index, timeout: false);
            return Outcome.Failed(StatusCodes.Status503ServiceUnavailable, ResponseFlags.UpstreamConnectionTermination, retry.RetriesReset);
        }
        finally
        {
            _lb.RequestEnded(host.Index);
        }
    }

    /// <summary>Streams an upstream response to the caller; returns the status, or null when the upstream broke mid-body.</summary>
    private static async Task<int?> CopyResponseAsync(HttpContext context, HttpResponseMessage response, UpstreamConnection connection, HostConnectionPool pool)
    {
        var reusable = false;
        try
        {
            var status = (int)response.StatusCode;
            context.Response.StatusCode = status;
            // NonValidated: copy the raw values without parsing them (Envoy passes headers through as bytes).
            foreach (var header in response.Headers.NonValidated)
                if (!HopByHop.Contains(header.Key)) context.Response.Headers[header.Key] = Values(header.Value);
            foreach (var header in response.Content.Headers.NonValidated)
                context.Response.Headers[header.Key] = Values(header.Value);
            try
            {
                await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
                reusable = true;
                return status;
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !context.RequestAborted.IsCancellationRequested)
            {
                context.Abort();
                return null;
            }
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        finally
        {
            response.Dispose();
            pool.Release(connection, reusable);
        }
    }

    private static Microsoft.Extensions.Primitives.StringValues Values(System.Net.Http.Headers.HeaderStringValues values) =>
        values.Count == 1 ? new(values.ToString()) : new(values.ToArray());

    private static HttpRequestMessage BuildRequest(HttpContext context, UpstreamHost host, RequestBody body)
    {
        var request = context.Request;
        var message = new HttpRequestMessage(HttpMethod.Parse(request.Method), host.BaseUrl + request.Path.ToUriComponent() + request.QueryString.ToUriComponent())
        {
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (body.HasContent) message.Content = body.CreateContent();
        foreach (var header in request.Headers)
        {
            if (HopByHop.Contains(header.Key)) continue;
            if (!message.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value) && message.Content is not null)
                message.Content.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value);
        }
        if (request.Host.HasValue) message.Headers.Host = request.Host.Value;
        return message;
    }

    private TimeSpan Jittered(NetworkLatency latency)
    {
        if (latency.Jitter <= TimeSpan.Zero) return latency.Delay;
        var offset = (_random.NextDouble() * 2 - 1) * latency.Jitter.Ticks;
        return TimeSpan.FromTicks(Math.Max(0, latency.Delay.Ticks + (long)offset));
    }

    private static T? Find<T>(Exception e) where T : Exception
    {
        for (var current = e; current is not null; current = current.InnerException)
            if (current is T found) return found;
        return null;
    }

    private enum OutcomeKind { Answered, Failed, Downstream }

    /// <summary>What an attempt produced: a response (maybe to retry), a local failure, or a vanished caller.</summary>
    private readonly record struct Outcome(OutcomeKind Kind, int Status, ResponseFlags Flags, bool Retriable, HttpResponseMessage? Response, UpstreamConnection? Connection)
    {
        public static Outcome DownstreamGone => new(OutcomeKind.Downstream, 0, ResponseFlags.None, false, null, null);
        public static Outcome Answered(HttpResponseMessage response, UpstreamConnection connection, int status, bool retriable) =>
            new(OutcomeKind.Answered, status, ResponseFlags.None, retriable, response, connection);
        public static Outcome Failed(int status, ResponseFlags flags, bool retriable) => new(OutcomeKind.Failed, status, flags, retriable, null, null);
    }

    /// <summary>The request body: buffered (replayable for retries) or a stream forwarded once.</summary>
    private sealed class RequestBody(byte[]? buffer, int length, Stream? stream) : IDisposable
    {
        public static RequestBody Empty { get; } = new(null, 0, null);
        private byte[]? _buffer = buffer;

        public bool Replayable => stream is null;
        public bool HasContent => stream is not null || length > 0 || _buffer is not null;

        public HttpContent CreateContent() => stream is not null
            ? new StreamContent(stream)
            : new ReadOnlyMemoryContent(_buffer.AsMemory(0, length));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _buffer, null) is { } b && !ReferenceEquals(this, Empty)) ArrayPool<byte>.Shared.Return(b);
        }
    }

    /// <summary>Reads one stream, then another (the buffered head of a large body, then its rest).</summary>
    private sealed class ConcatStream(Stream first, Stream second) : Stream
    {
        private bool _firstDone;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_firstDone)
            {
                var n = await first.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (n > 0) return n;
                _firstDone = true;
            }
            return await second.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
