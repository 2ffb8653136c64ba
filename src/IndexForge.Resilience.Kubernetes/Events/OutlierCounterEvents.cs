using System.Globalization;
using IndexForge.Resilience.Core.Metrics.PrometheusApi;
using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Kubernetes.Events;

/// <summary>
/// ejection-overflow (and ejections-enforced) from the run's Prometheus: Envoy's outlier counters of
/// every sidecar it scrapes in the run namespace, per calling sidecar (<c>instance</c>) and upstream
/// cluster. These counters are per cluster — Envoy does not say which host it refused to eject — so
/// the event's subject is the cluster name and the detail names the calling sidecar. The
/// <c>outlier-ejected</c> assertion counts overflow events whatever their subject, so that agrees.
/// </summary>
public sealed class OutlierCounterEvents(PrometheusApiClient prometheus, string ns) : IRunEventSource
{
    public const string Overflow = "envoy_cluster_outlier_detection_ejections_overflow";
    public const string Enforced = "envoy_cluster_outlier_detection_ejections_enforced_total";

    private Dictionary<(string Metric, string Cluster, string Instance), double>? _previous;

    public string Name => "prometheus";

    public static string Query(string metric, string ns) => $"sum by (cluster_name, instance) ({metric}{{namespace=\"{ns}\"}})";

    public async Task<IReadOnlyList<TargetEvent>> PollAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var current = new Dictionary<(string, string, string), double>();
        foreach (var metric in (string[])[Overflow, Enforced])
        {
            var result = await prometheus.QueryAsync(Query(metric, ns), cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var s in result.Series)
            {
                if (s.Points.Count == 0 || double.IsNaN(s.Points[^1].Value)) continue;
                current[(metric, s.Labels.GetValueOrDefault("cluster_name") ?? "", s.Labels.GetValueOrDefault("instance") ?? "")] = s.Points[^1].Value;
            }
        }
        var previous = _previous;
        _previous = current;
        if (previous is null) return [];
        var events = new List<TargetEvent>();
        foreach (var ((metric, cluster, instance), value) in current.OrderBy(c => c.Key))
        {
            // A series first seen after the baseline started at zero; a counter that went down was reset (pod restarted).
            var before = previous.GetValueOrDefault((metric, cluster, instance));
            var delta = value >= before ? value - before : value;
            if (delta <= 0) continue;
            var n = delta.ToString("0", CultureInfo.InvariantCulture);
            events.Add(metric == Overflow
                ? new TargetEvent(now, TargetEventKinds.EjectionOverflow, cluster,
                    $"{Overflow} +{n} at sidecar {instance}: an ejection refused by maxEjectionPercent (Envoy's counter does not name the host)")
                : new TargetEvent(now, KubeEventKinds.EjectionsEnforced, cluster, $"{Enforced} +{n} at sidecar {instance}"));
        }
        return events;
    }
}
