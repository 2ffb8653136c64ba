using System.Globalization;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.ConnectionFlood;
using IndexForge.Resilience.Core.Load;

namespace IndexForge.Resilience.Embedded.Faults.ConnectionFlood;

/// <summary>
/// Floods the mesh entry point (loopback only) with <c>Connections</c> concurrent connections, each
/// sending requests back to back and replaced by a fresh connection after <c>Hold</c>, until the window
/// ends — beyond the DestinationRule's connection pool, so the sidecar's circuit breakers answer
/// 503 + x-envoy-overloaded (upstream_rq_pending_overflow). The flood stops by itself at revert and,
/// as a bound, after <see cref="ConnectionFloodLimits.MaxDuration"/>.
/// </summary>
internal sealed class ConnectionFloodInjector(EmbeddedRuntime runtime) : IFaultInjector
{
    public string Type => FaultTypes.ConnectionFlood;

    public Task<IActiveFault> InjectAsync(FaultOptions options, FaultContext context, CancellationToken cancellationToken)
    {
        var o = (ConnectionFloodOptions)options;
        var entry = runtime.Mesh.EntryPoint;
        if (!System.Net.IPAddress.TryParse(entry.Host, out var ip) || !System.Net.IPAddress.IsLoopback(ip))
            throw new FaultInjectionException($"connection-flood only targets loopback; the entry point is {entry}");
        var flood = new Flood(entry, o, runtime.Secrets?.CallerCredential, runtime.Mesh.Resources.PendingOverflow);
        flood.Start();
        var details = new Dictionary<string, string>
        {
            ["target"] = entry.ToString(),
            ["connections"] = o.Connections.ToString(CultureInfo.InvariantCulture),
            ["hold"] = $"{o.Hold.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}ms",
            ["mechanism"] = "concurrent loopback requests through the caller's sidecar",
        };
        return Task.FromResult<IActiveFault>(new RevertableFault(details, async _ =>
        {
            await flood.StopAsync();
            // Written once the workers have stopped: the runner reads the details after the revert.
            details["requestsSent"] = flood.Sent.ToString(CultureInfo.InvariantCulture);
            details["overflow503"] = flood.Overflow.ToString(CultureInfo.InvariantCulture);
            details["otherErrors"] = flood.Errors.ToString(CultureInfo.InvariantCulture);
            details["meshPendingOverflow"] = (runtime.Mesh.Resources.PendingOverflow - flood.OverflowCounterBefore).ToString(CultureInfo.InvariantCulture);
        }));
    }

    /// <summary>The workers and their counters (no lock, no per-request logging: this is a load loop).</summary>
    private sealed class Flood(Uri entry, ConnectionFloodOptions options, Func<string?>? credential, long overflowCounterBefore)
    {
        private readonly CancellationTokenSource _stop = new(ConnectionFloodLimits.MaxDuration);
        private readonly HttpClient _client = new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Connections,
            PooledConnectionLifetime = options.Hold,
            UseProxy = false,
            AllowAutoRedirect = false,
        })
        { BaseAddress = entry, Timeout = ConnectionFloodLimits.RequestTimeout };
        private Task[] _workers = [];
        private long _sent, _overflow, _errors;

        public long OverflowCounterBefore { get; } = overflowCounterBefore;
        public long Sent => Interlocked.Read(ref _sent);
        public long Overflow => Interlocked.Read(ref _overflow);
        public long Errors => Interlocked.Read(ref _errors);

        public void Start() =>
            _workers = Enumerable.Range(0, options.Connections).Select(_ => Task.Run(WorkAsync, CancellationToken.None)).ToArray();

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_workers);
            _client.Dispose();
            _stop.Dispose();
        }

        private async Task WorkAsync()
        {
            var token = _stop.Token;
            while (!token.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, ConnectionFloodLimits.Path);
                if (credential?.Invoke() is { } key) request.Headers.TryAddWithoutValidation(LoadConstants.CredentialHeader, key);
                Interlocked.Increment(ref _sent);
                try
                {
                    using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                    if ((int)response.StatusCode == 503 && response.Headers.Contains(ConnectionFloodLimits.OverloadedHeader)) Interlocked.Increment(ref _overflow);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    Interlocked.Increment(ref _errors);
                }
            }
        }
    }
}

public static class ConnectionFloodLimits
{
    /// <summary>A flood never outlives this, even if nobody reverts it.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    public const string Path = "/search?q=flood";
    /// <summary>What Envoy adds to a local 503 from an open circuit breaker.</summary>
    public const string OverloadedHeader = "x-envoy-overloaded";
}
