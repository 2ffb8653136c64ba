using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using IndexForge.Resilience.Mesh.Forwarding;

namespace IndexForge.Resilience.Mesh.Telemetry;

/// <summary>
/// Istio's standard request metrics as the caller's sidecar reports them (reporter="source"):
/// istio_requests_total and the istio_request_duration_milliseconds histogram. Recording looks up a
/// series by a small struct key and bumps Interlocked counters: no lock, no allocation once a series exists.
/// </summary>
public sealed class MeshMetrics
{
    /// <summary>Istio's default buckets for istio_request_duration_milliseconds.</summary>
    public static readonly double[] DurationBucketsMs = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

    private readonly ConcurrentDictionary<SeriesKey, Series> _series = new();
    private readonly string _commonLabels;
    private readonly string[] _destinationLabels;

    public MeshMetrics(string sourceWorkload, string sourceNamespace, string destinationService, IReadOnlyList<MeshEndpoint> endpoints)
    {
        var serviceName = destinationService.Split('.')[0];
        var serviceNamespace = destinationService.Split('.') is { Length: > 1 } p ? p[1] : sourceNamespace;
        _commonLabels = $"reporter=\"source\",source_workload=\"{Escape(sourceWorkload)}\",source_workload_namespace=\"{Escape(sourceNamespace)}\"," +
                        $"destination_service=\"{Escape(destinationService)}\",destination_service_name=\"{Escape(serviceName)}\",destination_service_namespace=\"{Escape(serviceNamespace)}\"";
        _destinationLabels = endpoints.Select(e => $"destination_workload=\"{Escape(e.WorkloadName)}\",destination_workload_namespace=\"{Escape(serviceNamespace)}\"").ToArray();
    }

    /// <summary>One finished request. <paramref name="host"/> is -1 when no upstream was chosen (fault, no route, no healthy host).</summary>
    public void Record(int host, int status, ResponseFlags flags, bool mutualTls, double milliseconds)
    {
        var series = _series.GetOrAdd(new SeriesKey(host, status, flags, mutualTls), static _ => new Series());
        Interlocked.Increment(ref series.Count);
        Interlocked.Add(ref series.SumMicros, (long)(milliseconds * 1000));
        var b = 0;
        while (b < DurationBucketsMs.Length && milliseconds > DurationBucketsMs[b]) b++;
        Interlocked.Increment(ref series.Buckets[b]);
    }

    /// <summary>Total requests recorded with these filters (tests and quick checks).</summary>
    public long Count(int? status = null, ResponseFlags? flags = null) =>
        _series.Where(s => (status is null || s.Key.Status == status) && (flags is null || s.Key.Flags == flags)).Sum(s => Interlocked.Read(ref s.Value.Count));

    public void WriteTo(StringBuilder text)
    {
        var snapshot = _series.ToArray().OrderBy(s => s.Key.Host).ThenBy(s => s.Key.Status).ThenBy(s => (int)s.Key.Flags).ThenBy(s => s.Key.MutualTls).ToArray();
        text.Append("# HELP istio_requests_total Requests seen by the caller's sidecar.\n# TYPE istio_requests_total counter\n");
        foreach (var (key, series) in snapshot)
            text.Append("istio_requests_total{").Append(Labels(key)).Append("} ").Append(Interlocked.Read(ref series.Count).ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("# HELP istio_request_duration_milliseconds Request duration seen by the caller's sidecar.\n# TYPE istio_request_duration_milliseconds histogram\n");
        foreach (var (key, series) in snapshot)
        {
            var labels = Labels(key);
            long cumulative = 0;
            for (var b = 0; b <= DurationBucketsMs.Length; b++)
            {
                cumulative += Interlocked.Read(ref series.Buckets[b]);
                var le = b < DurationBucketsMs.Length ? DurationBucketsMs[b].ToString(CultureInfo.InvariantCulture) : "+Inf";
                text.Append("istio_request_duration_milliseconds_bucket{").Append(labels).Append(",le=\"").Append(le).Append("\"} ")
                    .Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            text.Append("istio_request_duration_milliseconds_sum{").Append(labels).Append("} ")
                .Append((Interlocked.Read(ref series.SumMicros) / 1000.0).ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
            text.Append("istio_request_duration_milliseconds_count{").Append(labels).Append("} ")
                .Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private string Labels(SeriesKey key)
    {
        var destination = key.Host >= 0 && key.Host < _destinationLabels.Length
            ? _destinationLabels[key.Host]
            : "destination_workload=\"unknown\",destination_workload_namespace=\"unknown\"";
        var security = key.Host < 0 ? "unknown" : key.MutualTls ? "mutual_tls" : "none";
        return $"{_commonLabels},{destination},request_protocol=\"http\",response_code=\"{key.Status}\",response_flags=\"{key.Flags.ToShortString()}\",connection_security_policy=\"{security}\"";
    }

    public static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private readonly record struct SeriesKey(int Host, int Status, ResponseFlags Flags, bool MutualTls);

    private sealed class Series
    {
        public long Count;
        public long SumMicros;
        public readonly long[] Buckets = new long[DurationBucketsMs.Length + 1];
    }
}
