using System.Globalization;
using System.Text;
using IndexForge.Resilience.Mesh.LoadBalancing;
using IndexForge.Resilience.Mesh.Outlier;
using IndexForge.Resilience.Mesh.Pool;
using IndexForge.Resilience.Mesh.Security;

namespace IndexForge.Resilience.Mesh.Telemetry;

/// <summary>
/// Envoy's cluster and listener stats under the names Istio's Prometheus scrape shows
/// (envoy_cluster_*{cluster_name="outbound|8080||host"}), plus per-endpoint state for the harness.
/// Envoy exports counters without a _total suffix unless the stat is named so (ejections_enforced_total).
/// </summary>
internal static class ClusterStatsWriter
{
    public static void Write(StringBuilder text, string clusterName, ClusterResources resources, OutlierDetector? detector,
        ClusterLoadBalancer lb, IReadOnlyList<MeshEndpoint> endpoints)
    {
        var cluster = $"cluster_name=\"{MeshMetrics.Escape(clusterName)}\"";
        void Metric(string name, string type, double value, string help)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            text.Append(name).Append('{').Append(cluster).Append("} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        Metric("envoy_cluster_outlier_detection_ejections_active", "gauge", detector?.EjectionsActive ?? 0, "Hosts currently ejected.");
        Metric("envoy_cluster_outlier_detection_ejections_enforced_total", "counter", detector?.EjectionsEnforcedTotal ?? 0, "Ejections enforced.");
        Metric("envoy_cluster_outlier_detection_ejections_overflow", "counter", detector?.EjectionsOverflow ?? 0, "Ejections refused by maxEjectionPercent.");
        Metric("envoy_cluster_outlier_detection_ejections_detected_consecutive_5xx", "counter", detector?.EjectionsDetectedConsecutive5xx ?? 0, "Consecutive 5xx detections.");
        Metric("envoy_cluster_outlier_detection_ejections_enforced_consecutive_5xx", "counter", detector?.EjectionsEnforcedConsecutive5xx ?? 0, "Consecutive 5xx ejections.");
        Metric("envoy_cluster_outlier_detection_ejections_detected_consecutive_gateway_failure", "counter", detector?.EjectionsDetectedConsecutiveGatewayFailure ?? 0, "Consecutive gateway failure detections.");
        Metric("envoy_cluster_outlier_detection_ejections_enforced_consecutive_gateway_failure", "counter", detector?.EjectionsEnforcedConsecutiveGatewayFailure ?? 0, "Consecutive gateway failure ejections.");
        Metric("envoy_cluster_upstream_rq_pending_overflow", "counter", resources.PendingOverflow, "Requests refused by the connection pool circuit breakers (503 UO).");
        Metric("envoy_cluster_upstream_cx_overflow", "counter", resources.ConnectionOverflow, "Times max_connections stopped a new connection.");
        Metric("envoy_cluster_upstream_rq_retry", "counter", resources.Retries, "Retries.");
        Metric("envoy_cluster_upstream_rq_retry_overflow", "counter", resources.RetryOverflow, "Retries refused by max_retries.");
        Metric("envoy_cluster_upstream_rq_timeout", "counter", resources.Timeouts, "Requests that timed out.");
        Metric("envoy_cluster_upstream_rq_total", "counter", resources.RequestsTotal, "Requests sent upstream.");
        Metric("envoy_cluster_upstream_cx_total", "counter", resources.ConnectionsTotal, "Connections opened.");
        Metric("envoy_cluster_upstream_cx_connect_fail", "counter", resources.ConnectFailures, "Connections that failed.");
        Metric("envoy_cluster_upstream_cx_max_requests", "counter", resources.ConnectionsClosedAtMaxRequests, "Connections closed by maxRequestsPerConnection.");
        Metric("envoy_cluster_upstream_cx_active", "gauge", resources.ActiveConnections, "Open connections.");
        Metric("envoy_cluster_upstream_rq_active", "gauge", resources.ActiveRequests, "Requests in flight.");
        Metric("envoy_cluster_upstream_rq_pending_active", "gauge", resources.PendingRequests, "Requests waiting for a connection.");
        var healthy = Enumerable.Range(0, endpoints.Count).Count(i => detector?.IsEjected(i) != true);
        Metric("envoy_cluster_membership_healthy", "gauge", healthy, "Hosts not ejected.");
        Metric("envoy_cluster_membership_total", "gauge", endpoints.Count, "Hosts in the cluster.");

        text.Append("# HELP indexforge_mesh_endpoint_ejected 1 while the endpoint is ejected by outlier detection.\n# TYPE indexforge_mesh_endpoint_ejected gauge\n");
        for (var i = 0; i < endpoints.Count; i++)
        {
            var e = endpoints[i];
            text.Append("indexforge_mesh_endpoint_ejected{").Append(cluster)
                .Append($",endpoint=\"{MeshMetrics.Escape(e.Id)}\",region=\"{MeshMetrics.Escape(e.Region)}\",zone=\"{MeshMetrics.Escape(e.Zone)}\"}} ")
                .Append(detector?.IsEjected(i) == true ? '1' : '0').Append('\n');
        }
        var load = lb.PriorityLoad;
        text.Append("# HELP indexforge_mesh_priority_load_percent Envoy's priority load: percent of requests each priority receives.\n# TYPE indexforge_mesh_priority_load_percent gauge\n");
        for (var p = 0; p < load.Load.Length; p++)
            text.Append("indexforge_mesh_priority_load_percent{").Append(cluster).Append($",priority=\"{p}\"}} ").Append(load.Load[p].ToString(CultureInfo.InvariantCulture)).Append('\n');

        WriteInbound(text, endpoints);
    }

    private static void WriteInbound(StringBuilder text, IReadOnlyList<MeshEndpoint> endpoints)
    {
        var inbound = endpoints.Where(e => e.Inbound is not null).ToArray();
        if (inbound.Length == 0) return;
        var envoyStats = new[] { "envoy_listener_no_filter_chain_match", "envoy_listener_ssl_fail_verify_no_cert", "envoy_listener_ssl_fail_verify_error", "envoy_listener_ssl_connection_error" };
        foreach (var stat in envoyStats)
        {
            text.Append("# HELP ").Append(stat).Append(" Inbound connections refused (Envoy listener stat).\n");
            text.Append("# TYPE ").Append(stat).Append(" counter\n");
            foreach (var e in inbound)
            {
                var value = e.Inbound!.Stats.Refusals.Where(r => InboundStats.EnvoyStat(r.Key) == stat).Sum(r => r.Value);
                text.Append(stat).Append($"{{listener_workload=\"{MeshMetrics.Escape(e.WorkloadName)}\"}} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
        text.Append("# HELP indexforge_mesh_inbound_tls_refused_total Inbound connections refused, by reason.\n# TYPE indexforge_mesh_inbound_tls_refused_total counter\n");
        foreach (var e in inbound)
            foreach (var (reason, value) in e.Inbound!.Stats.Refusals)
                text.Append("indexforge_mesh_inbound_tls_refused_total{").Append($"workload=\"{MeshMetrics.Escape(e.WorkloadName)}\",reason=\"{Kebab(reason)}\"}} ")
                    .Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("# HELP indexforge_mesh_inbound_connections_total Inbound connections accepted, by security.\n# TYPE indexforge_mesh_inbound_connections_total counter\n");
        foreach (var e in inbound)
        {
            text.Append($"indexforge_mesh_inbound_connections_total{{workload=\"{MeshMetrics.Escape(e.WorkloadName)}\",connection_security_policy=\"mutual_tls\"}} {e.Inbound!.Stats.MutualTlsConnections}\n");
            text.Append($"indexforge_mesh_inbound_connections_total{{workload=\"{MeshMetrics.Escape(e.WorkloadName)}\",connection_security_policy=\"none\"}} {e.Inbound!.Stats.PlaintextConnections}\n");
        }
        text.Append("# HELP envoy_http_rbac_denied Requests denied by AuthorizationPolicy (403 RBAC: access denied).\n# TYPE envoy_http_rbac_denied counter\n");
        foreach (var e in inbound)
            text.Append($"envoy_http_rbac_denied{{listener_workload=\"{MeshMetrics.Escape(e.WorkloadName)}\"}} {e.Inbound!.Stats.RbacDenied}\n");
        text.Append("# HELP envoy_http_rbac_allowed Requests allowed by AuthorizationPolicy.\n# TYPE envoy_http_rbac_allowed counter\n");
        foreach (var e in inbound)
            text.Append($"envoy_http_rbac_allowed{{listener_workload=\"{MeshMetrics.Escape(e.WorkloadName)}\"}} {e.Inbound!.Stats.RbacAllowed}\n");
    }

    private static string Kebab(TlsRefusal r) => string.Concat(r.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
