using System.Globalization;
using System.Text;

namespace IndexForge.Resilience.Mesh.Telemetry;

/// <summary>
/// One series of Istio's request metrics: the istio_requests_total count and the
/// istio_request_duration_milliseconds histogram, bumped with Interlocked (no lock on the hot path).
/// Shared by the caller's sidecar (reporter="source") and the replicas' inbound sides (reporter="destination").
/// </summary>
public sealed class RequestSeries
{
    /// <summary>Istio's default buckets for istio_request_duration_milliseconds.</summary>
    public static readonly double[] DurationBucketsMs = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

    private long _count;
    private long _sumMicros;
    private readonly long[] _buckets = new long[DurationBucketsMs.Length + 1];

    public long Count => Interlocked.Read(ref _count);

    public void Record(double milliseconds)
    {
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sumMicros, (long)(milliseconds * 1000));
        var b = 0;
        while (b < DurationBucketsMs.Length && milliseconds > DurationBucketsMs[b]) b++;
        Interlocked.Increment(ref _buckets[b]);
    }

    public void WriteCount(StringBuilder text, string labels) =>
        text.Append("istio_requests_total{").Append(labels).Append("} ").Append(Count.ToString(CultureInfo.InvariantCulture)).Append('\n');

    public void WriteDuration(StringBuilder text, string labels)
    {
        long cumulative = 0;
        for (var b = 0; b <= DurationBucketsMs.Length; b++)
        {
            cumulative += Interlocked.Read(ref _buckets[b]);
            var le = b < DurationBucketsMs.Length ? DurationBucketsMs[b].ToString(CultureInfo.InvariantCulture) : "+Inf";
            text.Append("istio_request_duration_milliseconds_bucket{").Append(labels).Append(",le=\"").Append(le).Append("\"} ")
                .Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        text.Append("istio_request_duration_milliseconds_sum{").Append(labels).Append("} ")
            .Append((Interlocked.Read(ref _sumMicros) / 1000.0).ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
        text.Append("istio_request_duration_milliseconds_count{").Append(labels).Append("} ")
            .Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}
