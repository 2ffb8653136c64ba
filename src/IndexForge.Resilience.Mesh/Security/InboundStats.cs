using System.Collections.Concurrent;
using IndexForge.Resilience.Mesh.Telemetry;

namespace IndexForge.Resilience.Mesh.Security;

/// <summary>
/// Server-side counters of one replica's inbound listener. Refusals are counted here because a
/// refused .NET client only sees "response ended prematurely" and retries the handshake (FACTS.md).
/// </summary>
public sealed class InboundStats
{
    private readonly long[] _refusals = new long[Enum.GetValues<TlsRefusal>().Length];
    private readonly ConcurrentDictionary<InboundRequestKey, RequestSeries> _requests = new();
    private long _mtlsConnections, _plaintextConnections, _rbacDenied, _rbacAllowed;

    /// <summary>Requests this replica's inbound side answered (its own 403s included), for istio_requests_total{reporter="destination"}.</summary>
    public IEnumerable<KeyValuePair<InboundRequestKey, RequestSeries>> Requests => _requests.ToArray();

    /// <summary>Requests answered with <paramref name="status"/> (tests and quick checks).</summary>
    public long RequestCount(int? status = null) => _requests.Where(r => status is null || r.Key.Status == status).Sum(r => r.Value.Count);

    public long MutualTlsConnections => Interlocked.Read(ref _mtlsConnections);
    public long PlaintextConnections => Interlocked.Read(ref _plaintextConnections);
    public long RbacDenied => Interlocked.Read(ref _rbacDenied);
    public long RbacAllowed => Interlocked.Read(ref _rbacAllowed);
    public long Refused(TlsRefusal reason) => Interlocked.Read(ref _refusals[(int)reason]);
    public long RefusedTotal => Enumerable.Range(0, _refusals.Length).Sum(i => Interlocked.Read(ref _refusals[i]));

    public IReadOnlyDictionary<TlsRefusal, long> Refusals =>
        Enum.GetValues<TlsRefusal>().Where(r => r != TlsRefusal.None).ToDictionary(r => r, Refused);

    internal void CountRefusal(TlsRefusal reason) => Interlocked.Increment(ref _refusals[(int)reason]);
    internal void CountMutualTls() => Interlocked.Increment(ref _mtlsConnections);
    internal void CountPlaintext() => Interlocked.Increment(ref _plaintextConnections);
    internal void RecordRequest(int status, bool mutualTls, string? principal, double milliseconds) =>
        _requests.GetOrAdd(new InboundRequestKey(status, mutualTls, principal), static _ => new RequestSeries()).Record(milliseconds);

    internal void CountRbac(bool allowed) => Interlocked.Increment(ref allowed ? ref _rbacAllowed : ref _rbacDenied);

    /// <summary>The Envoy listener/RBAC stat a refusal shows up under.</summary>
    public static string EnvoyStat(TlsRefusal reason) => reason switch
    {
        TlsRefusal.Plaintext => "envoy_listener_no_filter_chain_match",
        TlsRefusal.NoCertificate => "envoy_listener_ssl_fail_verify_no_cert",
        TlsRefusal.UntrustedCa or TlsRefusal.Expired or TlsRefusal.NoSpiffeId => "envoy_listener_ssl_fail_verify_error",
        _ => "envoy_listener_ssl_connection_error",
    };
}

/// <summary>A destination-side series: response code, whether the peer came over mTLS, and its principal (null when unknown).</summary>
public readonly record struct InboundRequestKey(int Status, bool MutualTls, string? Principal);
