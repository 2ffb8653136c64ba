using IndexForge.Resilience.Core.Metrics;
using IndexForge.Resilience.Core.Metrics.PrometheusApi;

namespace IndexForge.Resilience.Kubernetes.Metrics;

/// <summary>
/// The target's metrics through the Prometheus HTTP API: one instant query per metric the
/// assertions use, restricted to the run namespace, so the names match the embedded mesh's /metrics.
/// </summary>
public sealed class PrometheusMetricsSource(PrometheusApiClient prometheus, string runNamespace, TimeProvider time) : IMetricsSource
{
    public static readonly IReadOnlyList<string> MetricNames =
    [
        "istio_requests_total",
        "istio_request_duration_milliseconds_bucket",
        "envoy_cluster_outlier_detection_ejections_active",
        "envoy_cluster_outlier_detection_ejections_enforced_total",
        "envoy_cluster_outlier_detection_ejections_overflow",
        "envoy_cluster_upstream_rq_pending_overflow",
        "vault_core_unsealed",
    ];

    public async Task<MetricSet> ScrapeAsync(CancellationToken cancellationToken)
    {
        var samples = new List<MetricSample>();
        foreach (var name in MetricNames)
        {
            // Vault's series carry no pod namespace label (static target); everything else is the run's only.
            var query = name.StartsWith("vault_", StringComparison.Ordinal) ? name : $"{name}{{namespace=\"{runNamespace}\"}}";
            var result = await prometheus.QueryAsync(query, cancellationToken: cancellationToken).ConfigureAwait(false);
            samples.AddRange(result.ToSamples(name));
        }
        return new MetricSet(time.GetUtcNow(), samples);
    }
}
