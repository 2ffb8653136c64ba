using System.Collections.Concurrent;
using System.Text;
using IndexForge.Resilience.Mesh.Forwarding;
using IndexForge.Resilience.Mesh.Security;

namespace IndexForge.Resilience.Mesh.Telemetry;

/// <summary>
/// Istio's standard request metrics, istio_requests_total and the istio_request_duration_milliseconds
/// histogram, as both sides report them: the caller's sidecar (reporter="source", recorded here) and
/// every replica's inbound side (reporter="destination", recorded by <see cref="InboundStats"/>, which
/// also sees the 403s of AuthorizationPolicy and the requests of callers outside the mesh). Recording
/// looks up a series by a small struct key and bumps Interlocked counters: no lock, no allocation
/// once a series exists.
/// </summary>
public sealed class MeshMetrics
{
    private readonly ConcurrentDictionary<SeriesKey, RequestSeries> _series = new();
    private readonly string _commonLabels;
    private readonly string[] _destinationLabels;
    private readonly IReadOnlyList<MeshEndpoint> _endpoints;
    private readonly string _serviceLabels;
    private readonly string _serviceNamespace;
    private readonly string _callerPrincipal;
    private readonly string _callerLabels;

    /// <param name="callerPrincipal">The caller's principal (trust-domain/ns/…/sa/…): a destination knows its peer's workload from it, as Istio's metadata exchange does.</param>
    public MeshMetrics(string sourceWorkload, string sourceNamespace, string destinationService, IReadOnlyList<MeshEndpoint> endpoints, string? callerPrincipal = null)
    {
        var serviceName = destinationService.Split('.')[0];
        _serviceNamespace = destinationService.Split('.') is { Length: > 1 } p ? p[1] : sourceNamespace;
        _serviceLabels = $"destination_service=\"{Escape(destinationService)}\",destination_service_name=\"{Escape(serviceName)}\",destination_service_namespace=\"{Escape(_serviceNamespace)}\"";
        _commonLabels = $"reporter=\"source\",source_workload=\"{Escape(sourceWorkload)}\",source_workload_namespace=\"{Escape(sourceNamespace)}\",{_serviceLabels}";
        _destinationLabels = endpoints.Select(e => $"destination_workload=\"{Escape(e.WorkloadName)}\",destination_workload_namespace=\"{Escape(_serviceNamespace)}\"").ToArray();
        _endpoints = endpoints;
        _callerPrincipal = callerPrincipal ?? "";
        _callerLabels = $"source_workload=\"{Escape(sourceWorkload)}\",source_workload_namespace=\"{Escape(sourceNamespace)}\"";
    }

    /// <summary>One finished request. <paramref name="host"/> is -1 when no upstream was chosen (fault, no route, no healthy host).</summary>
    public void Record(int host, int status, ResponseFlags flags, bool mutualTls, double milliseconds) =>
        _series.GetOrAdd(new SeriesKey(host, status, flags, mutualTls), static _ => new RequestSeries()).Record(milliseconds);

    /// <summary>Total requests the caller's sidecar recorded with these filters (tests and quick checks).</summary>
    public long Count(int? status = null, ResponseFlags? flags = null) =>
        _series.Where(s => (status is null || s.Key.Status == status) && (flags is null || s.Key.Flags == flags)).Sum(s => s.Value.Count);

    public void WriteTo(StringBuilder text)
    {
        var source = _series.ToArray().OrderBy(s => s.Key.Host).ThenBy(s => s.Key.Status).ThenBy(s => (int)s.Key.Flags).ThenBy(s => s.Key.MutualTls)
            .Select(s => (Labels: Labels(s.Key), s.Value));
        var destination = _endpoints.Where(e => e.Inbound is not null)
            .SelectMany(e => e.Inbound!.Stats.Requests.OrderBy(r => r.Key.Status).ThenBy(r => r.Key.MutualTls).ThenBy(r => r.Key.Principal, StringComparer.Ordinal)
                .Select(r => (Labels: DestinationLabels(e, r.Key), r.Value)));
        var all = source.Concat(destination).ToArray();
        text.Append("# HELP istio_requests_total Requests, as the caller's sidecar (reporter=\"source\") and each replica's inbound side (reporter=\"destination\") saw them.\n# TYPE istio_requests_total counter\n");
        foreach (var (labels, series) in all) series.WriteCount(text, labels);
        text.Append("# HELP istio_request_duration_milliseconds Request duration, per reporter.\n# TYPE istio_request_duration_milliseconds histogram\n");
        foreach (var (labels, series) in all) series.WriteDuration(text, labels);
    }

    private string Labels(SeriesKey key)
    {
        var destination = key.Host >= 0 && key.Host < _destinationLabels.Length
            ? _destinationLabels[key.Host]
            : "destination_workload=\"unknown\",destination_workload_namespace=\"unknown\"";
        var security = key.Host < 0 ? "unknown" : key.MutualTls ? "mutual_tls" : "none";
        return $"{_commonLabels},{destination},request_protocol=\"http\",response_code=\"{key.Status}\",response_flags=\"{key.Flags.ToShortString()}\",connection_security_policy=\"{security}\"";
    }

    private string DestinationLabels(MeshEndpoint endpoint, InboundRequestKey key)
    {
        // Istio labels a peer it cannot identify (plaintext, or outside the mesh) "unknown".
        var peer = key.Principal is null ? "source_workload=\"unknown\",source_workload_namespace=\"unknown\""
            : key.Principal == _callerPrincipal ? _callerLabels
            : $"source_workload=\"unknown\",source_workload_namespace=\"{Escape(PrincipalNamespace(key.Principal))}\"";
        var principal = key.Principal is null ? "unknown" : "spiffe://" + key.Principal;
        return $"reporter=\"destination\",{peer},source_principal=\"{Escape(principal)}\",destination_workload=\"{Escape(endpoint.WorkloadName)}\"," +
               $"destination_workload_namespace=\"{Escape(_serviceNamespace)}\",{_serviceLabels},request_protocol=\"http\",response_code=\"{key.Status}\"," +
               $"response_flags=\"-\",connection_security_policy=\"{(key.MutualTls ? "mutual_tls" : "none")}\"";
    }

    /// <summary>The namespace of an Istio principal "trust-domain/ns/NAMESPACE/sa/ACCOUNT", or "unknown".</summary>
    private static string PrincipalNamespace(string principal)
    {
        var parts = principal.Split('/');
        var i = Array.IndexOf(parts, "ns");
        return i >= 0 && i + 1 < parts.Length ? parts[i + 1] : "unknown";
    }

    public static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private readonly record struct SeriesKey(int Host, int Status, ResponseFlags Flags, bool MutualTls);
}
