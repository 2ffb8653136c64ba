using System.Globalization;
using IndexForge.Resilience.Mesh.Security;
using IndexForge.Resilience.SampleService;

namespace IndexForge.Resilience.Embedded.Faults.Probes;

/// <summary>The replica a probe aims at: the probe's own, or the first replica of the caller's region.</summary>
internal sealed record ProbeTarget(SampleServiceHost Host, MeshInbound Inbound)
{
    public static ProbeTarget Resolve(EmbeddedRuntime runtime, string? replica)
    {
        if (replica is not null && !runtime.Inbounds.ContainsKey(replica)) throw new Core.Faults.FaultInjectionException($"replica '{replica}' does not exist");
        var host = replica is not null ? runtime.Replicas[replica]
            : runtime.Replicas.Hosts.Where(h => h.Region == runtime.CallerRegion).OrderBy(h => h.ReplicaId, StringComparer.Ordinal).FirstOrDefault()
              ?? runtime.Replicas.Hosts.OrderBy(h => h.ReplicaId, StringComparer.Ordinal).First();
        return new ProbeTarget(host, runtime.Inbounds[host.ReplicaId]);
    }

    public string Id => Host.ReplicaId;
    public string HostName => Host.Address.Host;
    public int Port => Host.Address.Port;
}

/// <summary>
/// Decides a probe's outcome from evidence only — the server's refusal counters (a refused client
/// cannot tell why: FACTS.md), the HTTP status when one came back, and what the client saw — and
/// writes the detail keys the Kubernetes target uses: <c>refused</c> (true/false/unknown),
/// <c>reason</c> and <c>evidence</c>.
/// </summary>
internal sealed class ProbeVerdict
{
    public const string True = "true";
    public const string False = "false";
    public const string Unknown = "unknown";

    private readonly ProbeTarget _target;
    private readonly Dictionary<TlsRefusal, long> _refusalsBefore;
    private readonly long _rbacDeniedBefore;

    private readonly TimeProvider _time;

    private ProbeVerdict(ProbeTarget target, TimeProvider time)
    {
        _target = target;
        _time = time;
        _refusalsBefore = Enum.GetValues<TlsRefusal>().ToDictionary(r => r, target.Inbound.Stats.Refused);
        _rbacDeniedBefore = target.Inbound.Stats.RbacDenied;
    }

    /// <summary>Snapshots the target's counters; call before the probe connects.</summary>
    public static ProbeVerdict Begin(ProbeTarget target, TimeProvider time) => new(target, time);

    /// <summary>
    /// The verdict for what the client saw. A status line means the request got through the TLS layer
    /// (403 is the RBAC refusal); otherwise the server's refusal counter that moved names the reason.
    /// </summary>
    public async Task<Dictionary<string, string>> DecideAsync(ProbeExchange exchange, string mechanism, Func<TlsRefusal, string>? reasonOf = null)
    {
        var details = new Dictionary<string, string>
        {
            ["target"] = _target.Id,
            ["address"] = $"{_target.HostName}:{_target.Port.ToString(CultureInfo.InvariantCulture)}",
            ["mtlsMode"] = _target.Inbound.Mode.ToString().ToUpperInvariant(),
            ["probe"] = mechanism,
        };
        if (exchange.Status is { } status)
        {
            var rbac = _target.Inbound.Stats.RbacDenied - _rbacDeniedBefore;
            var seen = $"HTTP {status.ToString(CultureInfo.InvariantCulture)}; server: rbac denied +{rbac.ToString(CultureInfo.InvariantCulture)}{Client(exchange)}";
            return Fill(details, status == 403 ? True : False, status == 403 ? "http-403" : "accepted", seen);
        }
        var moved = await RefusalsAsync();
        if (moved.Count > 0)
        {
            var (reason, count) = moved.MaxBy(kv => kv.Value);
            var server = string.Join(", ", moved.Select(kv => $"{InboundStats.EnvoyStat(kv.Key)} +{kv.Value.ToString(CultureInfo.InvariantCulture)} ({kv.Key})"));
            return Fill(details, True, (reasonOf ?? ReasonOf)(reason), $"server: {server}{Client(exchange)}");
        }
        if (exchange.NeverSent)
            return Fill(details, Unknown, exchange.ClientError ?? "the client sent nothing", $"no connection reached the replica{Client(exchange)}");
        if (exchange.ClientError is not null)
            return Fill(details, True, "connection-reset", $"server: no refusal counted; client: {exchange.ClientError}");
        return Fill(details, Unknown, "no response and no refusal counted", $"server: no refusal counted{Client(exchange)}");
    }

    /// <summary>The refusal counters that moved since <see cref="Begin"/>, waiting briefly: the server counts just before it closes.</summary>
    private async Task<Dictionary<TlsRefusal, long>> RefusalsAsync()
    {
        var deadline = _time.GetUtcNow() + ProbeConstants.CounterSettle;
        while (true)
        {
            var moved = Enum.GetValues<TlsRefusal>()
                .Select(r => (Reason: r, Delta: _target.Inbound.Stats.Refused(r) - _refusalsBefore[r]))
                .Where(x => x.Delta > 0).ToDictionary(x => x.Reason, x => x.Delta);
            if (moved.Count > 0 || _time.GetUtcNow() >= deadline) return moved;
            await Task.Delay(ProbeConstants.CounterPoll, _time);
        }
    }

    private static string Client(ProbeExchange exchange) =>
        exchange.ClientSummary is { Length: > 0 } s ? $"; client: {s}" : exchange.ClientError is { Length: > 0 } e ? $"; client: {e}" : "";

    private static Dictionary<string, string> Fill(Dictionary<string, string> details, string refused, string reason, string evidence)
    {
        details["refused"] = refused;
        details["reason"] = reason;
        details["evidence"] = evidence;
        return details;
    }

    public static string ReasonOf(TlsRefusal refusal) => refusal switch
    {
        TlsRefusal.Plaintext => "plaintext-rejected",
        TlsRefusal.NoCertificate => "no-client-certificate",
        TlsRefusal.UntrustedCa => "untrusted-certificate",
        TlsRefusal.Expired => "certificate-expired",
        TlsRefusal.NoSpiffeId => "no-spiffe-id",
        TlsRefusal.ProtocolVersion => "protocol-version",
        _ => "handshake-failed",
    };
}

/// <summary>What the probing client saw: a status line, or how it failed; <see cref="NeverSent"/> when nothing left the client.</summary>
internal sealed record ProbeExchange(int? Status, string? ClientError, string? ClientSummary = null, bool NeverSent = false);

public static class ProbeConstants
{
    public const string RequestPath = "/search?q=probe";
    public const string HostHeader = "indexforge-search";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan CounterSettle = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan CounterPoll = TimeSpan.FromMilliseconds(20);
    public const int MaxSummaryLength = 200;
}
