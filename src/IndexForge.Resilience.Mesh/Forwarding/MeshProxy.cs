using System.Buffers;
using IndexForge.Resilience.Mesh.Config;
using IndexForge.Resilience.Mesh.LoadBalancing;
using IndexForge.Resilience.Mesh.Outlier;
using IndexForge.Resilience.Mesh.Pool;
using IndexForge.Resilience.Mesh.Routing;
using IndexForge.Resilience.Mesh.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace IndexForge.Resilience.Mesh.Forwarding;

/// <summary>
/// The caller's sidecar, outbound: route match, fault filter, then Envoy's router — pick a host,
/// take a connection (or 503 UO), send within the per-try and route timeouts, report the result to
/// outlier detection, retry per policy on another host, and stream the response back. Local replies
/// carry Envoy's status, body and response flags; every request is recorded in Istio's metrics.
/// </summary>
internal sealed partial class MeshProxy
{
    private readonly ServiceConfig _service;
    private readonly ClusterLoadBalancer _lb;
    private readonly OutlierDetector? _detector;
    private readonly ClusterResources _resources;
    private readonly UpstreamHost[] _hosts;
    private readonly MeshMetrics _metrics;
    private readonly MeshRandom _random;
    private readonly TimeProvider _time;
    private readonly Dictionary<HttpRoute, RetryPolicy> _retries;
    private HttpFault? _runtimeFault;

    public MeshProxy(ServiceConfig service, ClusterLoadBalancer lb, OutlierDetector? detector, ClusterResources resources,
        UpstreamHost[] hosts, MeshMetrics metrics, MeshRandom random, TimeProvider time)
    {
        _service = service;
        _lb = lb;
        _detector = detector;
        _resources = resources;
        _hosts = hosts;
        _metrics = metrics;
        _random = random;
        _time = time;
        _retries = new Dictionary<HttpRoute, RetryPolicy>(ReferenceEqualityComparer.Instance);
        foreach (var route in (service.VirtualService?.Http ?? []).Append(ServiceConfig.DefaultRoute))
            _retries[route] = RetryPolicy.FromIstio(route.Retries);
    }

    /// <summary>A fault set at run time (mesh-fault injector); it replaces the VirtualService's fault while set.</summary>
    public HttpFault? RuntimeFault
    {
        get => Volatile.Read(ref _runtimeFault);
        set => Volatile.Write(ref _runtimeFault, value);
    }

    public async Task HandleAsync(HttpContext context)
    {
        var started = _time.GetTimestamp();
        var request = context.Request;
        var route = _service.RouteFor(request.Path.Value ?? "/", request.Method, name => request.Headers[name].ToString());
        if (route is null)
        {
            await LocalReplyAsync(context, StatusCodes.Status404NotFound, ResponseFlags.NoRouteFound, null, started, -1).ConfigureAwait(false);
            return;
        }
        var flags = ResponseFlags.None;
        var fault = RuntimeFault ?? route.Fault;
        if (FaultPolicy.DrawDelay(fault, _random) is { } delay)
        {
            flags |= ResponseFlags.DelayInjected;
            try
            {
                await Task.Delay(delay, _time, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Record(-1, 0, flags | ResponseFlags.DownstreamConnectionTermination, started);
                return;
            }
        }
        if (FaultPolicy.DrawAbort(fault, _random) is { } abort)
        {
            await LocalReplyAsync(context, abort, flags | ResponseFlags.FaultInjected, ProxyConstants.FaultAbortBody, started, -1).ConfigureAwait(false);
            return;
        }
        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        try
        {
            await RouteAsync(context, route, _retries.GetValueOrDefault(route) ?? RetryPolicy.IstioDefault, body, flags, started).ConfigureAwait(false);
        }
        finally
        {
            body.Dispose();
        }
    }

    private async Task RouteAsync(HttpContext context, HttpRoute route, RetryPolicy retry, RequestBody body, ResponseFlags flags, long started)
    {
        using var routeTimeout = route.Timeout is { Ticks: > 0 } t ? new CancellationTokenSource(t, _time) : null;
        using var routeToken = routeTimeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(routeTimeout.Token, context.RequestAborted);
        var token = routeToken?.Token ?? context.RequestAborted;
        var retriesLeft = body.Replayable ? retry.NumRetries : 0;
        var retriesDone = 0;
        ulong attempted = 0;
        var lastHost = -1;
        while (true)
        {
            var host = _lb.Choose(retry.PreferNewHosts ? attempted : 0, retry.PreferNewHosts ? retry.HostSelectionAttempts : 1);
            if (host < 0)
            {
                await LocalReplyAsync(context, StatusCodes.Status503ServiceUnavailable, flags | ResponseFlags.NoHealthyUpstream, ProxyConstants.NoHealthyUpstreamBody, started, lastHost).ConfigureAwait(false);
                return;
            }
            lastHost = host;
            if (host < 64) attempted |= 1UL << host;
            var outcome = await AttemptAsync(context, _hosts[host], retry, body, token, retriesLeft > 0).ConfigureAwait(false);
            if (outcome.Kind == OutcomeKind.Downstream)
            {
                Record(host, 0, flags | ResponseFlags.DownstreamConnectionTermination, started);
                return;
            }
            if (outcome.Kind == OutcomeKind.Failed && routeTimeout?.IsCancellationRequested == true)
            {
                await LocalReplyAsync(context, StatusCodes.Status504GatewayTimeout, flags | ResponseFlags.UpstreamRequestTimeout, ProxyConstants.TimeoutBody, started, host).ConfigureAwait(false);
                return;
            }
            if (outcome.Retriable && retriesLeft > 0)
            {
                if (_resources.TryAcquireRetry())
                {
                    Discard(outcome, host);
                    retriesLeft--;
                    retriesDone++;
                    try
                    {
                        await Task.Delay(Backoff(retry, retriesDone), _time, token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // the next attempt reports the route timeout or the vanished caller
                    }
                    finally
                    {
                        _resources.ReleaseRetry();
                    }
                    continue;
                }
                flags |= ResponseFlags.UpstreamOverflow; // the retry circuit breaker (max_retries) is open
            }
            else if (outcome.Retriable && retry.NumRetries > 0 && body.Replayable)
            {
                flags |= ResponseFlags.UpstreamRetryLimitExceeded;
            }
            await FinishAsync(context, outcome, flags, started, host, retriesDone > 0).ConfigureAwait(false);
            return;
        }
    }

    /// <summary>Answers with the attempt's response (a retriable status kept for the end) or its local reply.</summary>
    private async Task FinishAsync(HttpContext context, Outcome outcome, ResponseFlags flags, long started, int host, bool retried)
    {
        if (outcome.Response is { } response)
        {
            var status = await CopyResponseAsync(context, response, outcome.Connection!, _hosts[host].Pool).ConfigureAwait(false);
            Record(host, status ?? 0, flags | outcome.Flags | (status is null ? ResponseFlags.UpstreamConnectionTermination : 0), started);
            return;
        }
        var reason = outcome.Flags switch
        {
            var f when f.HasFlag(ResponseFlags.UpstreamOverflow) => "overflow",
            var f when f.HasFlag(ResponseFlags.UpstreamConnectionFailure) => "connection failure",
            _ => "connection termination",
        };
        var bodyText = outcome.Status == StatusCodes.Status504GatewayTimeout
            ? ProxyConstants.TimeoutBody
            : retried ? $"{ProxyConstants.ResetPrefix}retried and the latest reset reason: {reason}" : $"{ProxyConstants.ResetPrefix}reset reason: {reason}";
        if (outcome.Flags.HasFlag(ResponseFlags.UpstreamOverflow)) context.Response.Headers[ProxyConstants.OverloadedHeader] = "true";
        await LocalReplyAsync(context, outcome.Status, flags | outcome.Flags, bodyText, started, host).ConfigureAwait(false);
    }

    /// <summary>Drops a response that will be retried; it was read to the end, so its connection stays usable.</summary>
    private void Discard(Outcome outcome, int host)
    {
        if (outcome.Response is not { } response) return;
        response.Dispose();
        _hosts[host].Pool.Release(outcome.Connection!, reusable: true);
    }

    private TimeSpan Backoff(RetryPolicy retry, int retryNumber)
    {
        // Envoy's jittered exponential back-off: uniform in [0, (2^n − 1) × base], capped at max.
        var upper = retry.BackoffBase * ((1L << Math.Min(retryNumber, 20)) - 1);
        if (upper > retry.BackoffMax) upper = retry.BackoffMax;
        return TimeSpan.FromTicks((long)(_random.NextDouble() * upper.Ticks));
    }

    private void Record(int host, int status, ResponseFlags flags, long started) =>
        _metrics.Record(host, status, flags, host >= 0 && _hosts[host].MutualTls, _time.GetElapsedTime(started).TotalMilliseconds);

    private async Task LocalReplyAsync(HttpContext context, int status, ResponseFlags flags, string? body, long started, int host)
    {
        Record(host, status, flags, started);
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = status;
        // A 204 or 304 carries no body (Envoy drops it); Kestrel would throw on the write and close the connection.
        if (body is null || status is StatusCodes.Status204NoContent or StatusCodes.Status304NotModified) return;
        context.Response.ContentType = "text/plain";
        try
        {
            await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // the client left; nothing to answer
        }
    }

    private static async Task<RequestBody> ReadBodyAsync(HttpContext context)
    {
        var canHaveBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? context.Request.ContentLength > 0;
        if (!canHaveBody) return RequestBody.Empty;
        if (context.Request.ContentLength is > ProxyConstants.RetryBufferLimit) return new RequestBody(null, 0, context.Request.Body);
        var buffer = ArrayPool<byte>.Shared.Rent(ProxyConstants.InitialBodyBuffer);
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length >= ProxyConstants.RetryBufferLimit)
                {
                    // Too large to buffer for retries: forward what was read, then the rest, once.
                    var head = new MemoryStream(buffer, 0, length, writable: false);
                    return new RequestBody(buffer, length, new ConcatStream(head, context.Request.Body));
                }
                var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                buffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = bigger;
            }
            var read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
            if (read == 0) return new RequestBody(buffer, length, null);
            length += read;
        }
    }
}

internal static class ProxyConstants
{
    public const string NoHealthyUpstreamBody = "no healthy upstream";
    public const string TimeoutBody = "upstream request timeout";
    public const string FaultAbortBody = "fault filter abort";
    public const string ResetPrefix = "upstream connect error or disconnect/reset before headers. ";
    public const string OverloadedHeader = "x-envoy-overloaded";
    /// <summary>Envoy buffers a request body for retries up to its buffer limit (1 MiB by default).</summary>
    public const int RetryBufferLimit = 1024 * 1024;
    public const int InitialBodyBuffer = 16 * 1024;
}
