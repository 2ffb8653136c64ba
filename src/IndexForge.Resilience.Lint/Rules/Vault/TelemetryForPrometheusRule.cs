using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Promql;

namespace IndexForge.Resilience.Lint.Rules.Vault;

/// <summary>
/// VAULT010: alerts on vault_* gauges need telemetry { disable_hostname = true }: by default Vault prefixes
/// gauges with the host name (vault_&lt;host&gt;_core_unsealed), so vault_core_unsealed never exists.
/// </summary>
public sealed class TelemetryForPrometheusRule : LintRule
{
    public override RuleInfo Info { get; } = new("VAULT010", Severity.Error, "Vault",
        "Vault telemetry not set up for the alerts that read it", References.VaultTelemetry);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        var users = set.PromQl().Where(q => PromQl.MetricNames(q.Expr).Any(m => m.StartsWith("vault_", StringComparison.Ordinal))).ToList();
        if (users.Count == 0) yield break;
        var example = $"{users[0].Owner} ({users[0].File}:{users[0].Line})";
        foreach (var file in set.VaultConfigs)
        {
            var telemetry = file.Body.BlocksOf("telemetry").FirstOrDefault();
            if (telemetry is null)
            {
                yield return Finding(file.File, 1, $"no telemetry stanza, but {users.Count} Prometheus expression(s) read vault_* metrics, e.g. {example}",
                    "Without telemetry { disable_hostname = true } Vault prefixes gauges with its host name (vault_<host>_core_unsealed), so " +
                    "an alert on vault_core_unsealed finds no series and never fires; /v1/sys/metrics also needs a token unless the " +
                    "listener allows unauthenticated_metrics_access.",
                    "Add telemetry { prometheus_retention_time = \"30s\"  disable_hostname = true } and let Prometheus scrape " +
                    "/v1/sys/metrics?format=prometheus (listener telemetry { unauthenticated_metrics_access = true } or a scrape token).");
                continue;
            }
            if (telemetry.Body.Attribute("disable_hostname")?.Value.AsBool() != true)
                yield return Finding(file.File, telemetry.Line, "telemetry without disable_hostname = true",
                    $"Gauges are named vault_<host>_..., so expressions such as {example} match nothing.", "Set disable_hostname = true.");
            if (telemetry.Body.Str("prometheus_retention_time") is "0" or "0s")
                yield return Finding(file.File, telemetry.Body.Attribute("prometheus_retention_time")!.Line, "prometheus_retention_time = 0 disables the Prometheus metrics",
                    "/v1/sys/metrics?format=prometheus then returns nothing and every vault_* alert is blind.", "Set a retention such as \"30s\".");
        }
    }
}
