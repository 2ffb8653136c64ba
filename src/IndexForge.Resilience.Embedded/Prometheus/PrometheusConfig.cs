using System.Text;
using System.Web;

namespace IndexForge.Resilience.Embedded.Prometheus;

/// <summary>Renders prometheus.yml: 1 s scrape and evaluation, one job per target, the rule files.</summary>
internal static class PrometheusConfig
{
    public static string Render(EmbeddedPrometheusOptions options, string directory)
    {
        var y = new StringBuilder();
        y.AppendLine("global:");
        y.AppendLine($"  scrape_interval: {EmbeddedPrometheusConstants.Interval}");
        y.AppendLine($"  scrape_timeout: {EmbeddedPrometheusConstants.Interval}");
        y.AppendLine($"  evaluation_interval: {EmbeddedPrometheusConstants.Interval}");
        y.AppendLine("rule_files:");
        if (options.RuleFiles.Count == 0) y.AppendLine("  []");
        foreach (var f in options.RuleFiles) y.AppendLine($"  - {Quote(Path.GetFullPath(f))}");
        y.AppendLine("scrape_configs:");
        if (options.Targets.Count == 0) y.AppendLine("  []");
        foreach (var t in options.Targets)
        {
            var url = t.MetricsUrl;
            y.AppendLine($"  - job_name: {Quote(t.Job)}");
            y.AppendLine($"    scheme: {url.Scheme}");
            y.AppendLine($"    metrics_path: {Quote(url.AbsolutePath)}");
            var query = HttpUtility.ParseQueryString(url.Query);
            if (query.Count > 0)
            {
                y.AppendLine("    params:");
                foreach (var key in query.AllKeys.OfType<string>())
                    y.AppendLine($"      {Quote(key)}: [{string.Join(", ", (query.GetValues(key) ?? []).Select(Quote))}]");
            }
            if (t.TrustedCa is { } ca)
            {
                var caFile = Path.Combine(directory, $"{t.Job}-ca.pem");
                File.WriteAllText(caFile, ca.ExportCertificatePem());
                y.AppendLine("    tls_config:");
                y.AppendLine($"      ca_file: {Quote(caFile)}");
            }
            y.AppendLine("    static_configs:");
            y.AppendLine($"      - targets: [{Quote($"{url.Host}:{url.Port}")}]");
        }
        return y.ToString();
    }

    // JSON string syntax is valid YAML and escapes whatever a path holds.
    private static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s);
}
