namespace IndexForge.Resilience.Lint.Rules.Prometheus;

/// <summary>
/// Metric names the exporters of this platform really emit. Only names in a namespace we know
/// (vault_, istio_) are judged; anything else is assumed to come from an exporter we do not know.
/// </summary>
public static class KnownMetrics
{
    /// <summary>vault.core.* metrics (Vault telemetry, core-system page); summaries add _sum/_count.</summary>
    private static readonly HashSet<string> VaultCore = new(StringComparer.Ordinal)
    {
        "vault_core_unsealed", "vault_core_active", "vault_core_performance_standby", "vault_core_handle_request",
        "vault_core_handle_login_request", "vault_core_check_token", "vault_core_fetch_acl_and_token", "vault_core_leadership_lost",
        "vault_core_leadership_setup_failed", "vault_core_step_down", "vault_core_post_unseal", "vault_core_pre_seal", "vault_core_unseal",
        "vault_core_seal", "vault_core_seal_with_request", "vault_core_seal_internal", "vault_core_mount_table_num_entries",
        "vault_core_mount_table_size", "vault_core_in_flight_requests", "vault_core_license_expiration_time_epoch", "vault_core_locked_users",
        "vault_core_replication_dr_primary", "vault_core_replication_dr_secondary", "vault_core_replication_performance_primary",
        "vault_core_replication_performance_secondary", "vault_core_enable_credential", "vault_core_enable_audit", "vault_core_mount",
    };

    /// <summary>Families whose members vary by mount, backend or version.</summary>
    private static readonly string[] VaultFamilies =
    [
        "vault_runtime_", "vault_raft", "vault_route_", "vault_rollback_", "vault_wal_", "vault_merkle_", "vault_replication_",
        "vault_quota_", "vault_cache_", "vault_consul_", "vault_file_", "vault_azure_", "vault_dynamodb_", "vault_etcd_", "vault_gcs_",
        "vault_s3_", "vault_postgres_", "vault_mysql_", "vault_zookeeper_", "vault_spanner_", "vault_cassandra_", "vault_swift_",
        "vault_database_", "vault_identity_", "vault_token_", "vault_policy_", "vault_expire_", "vault_audit_", "vault_barrier_",
        "vault_secret_", "vault_ha_", "vault_autopilot_", "vault_agent_", "vault_metrics_", "vault_secrets_", "vault_kv_",
        "vault_logshipper_", "vault_clients_", "vault_seal_", "vault_storage_", "vault_request_", "vault_namespace_",
    ];

    /// <summary>Istio standard metrics (Istio "Istio Standard Metrics" page).</summary>
    private static readonly HashSet<string> Istio = new(StringComparer.Ordinal)
    {
        "istio_requests_total", "istio_request_messages_total", "istio_response_messages_total",
        "istio_tcp_sent_bytes_total", "istio_tcp_received_bytes_total", "istio_tcp_connections_opened_total", "istio_tcp_connections_closed_total",
        "istio_build",
    };

    private static readonly string[] IstioHistograms = ["istio_request_duration_milliseconds", "istio_request_bytes", "istio_response_bytes"];
    private static readonly string[] IstioFamilies = ["istio_agent_"];
    private static readonly string[] SummarySuffixes = ["", "_sum", "_count"];
    private static readonly string[] HistogramSuffixes = ["_bucket", "_sum", "_count"];

    /// <summary>Whether we know the namespace of this metric well enough to judge it.</summary>
    public static bool IsJudged(string metric) =>
        metric.StartsWith("vault_", StringComparison.Ordinal) || metric.StartsWith("istio_", StringComparison.Ordinal);

    public static bool IsKnown(string metric)
    {
        if (metric.StartsWith("vault_", StringComparison.Ordinal))
        {
            if (SummarySuffixes.Any(s => VaultCore.Contains(Strip(metric, s)))) return true;
            return VaultFamilies.Any(f => metric.StartsWith(f, StringComparison.Ordinal));
        }
        if (metric.StartsWith("istio_", StringComparison.Ordinal))
        {
            if (Istio.Contains(metric)) return true;
            if (IstioHistograms.Any(h => HistogramSuffixes.Any(s => metric == h + s))) return true;
            return IstioFamilies.Any(f => metric.StartsWith(f, StringComparison.Ordinal));
        }
        return true;
    }

    /// <summary>A likely intended name, for the fix text.</summary>
    public static string? Suggest(string metric) => metric switch
    {
        "vault_up" => "up{job=\"vault\"} (scrape health) and vault_core_unsealed (seal state)",
        _ when metric.StartsWith("vault_core_handle_request", StringComparison.Ordinal) =>
            "vault_core_handle_request_sum / vault_core_handle_request_count (a summary in milliseconds)",
        _ when metric.StartsWith("istio_request_duration_seconds", StringComparison.Ordinal) => "istio_request_duration_milliseconds_bucket",
        _ => null,
    };

    private static string Strip(string metric, string suffix) =>
        suffix.Length > 0 && metric.EndsWith(suffix, StringComparison.Ordinal) ? metric[..^suffix.Length] : metric;
}
