using Xunit;
using static IndexForge.Resilience.Lint.Tests.LintHarness;

namespace IndexForge.Resilience.Lint.Tests.Rules;

public sealed class PrometheusRulesTests
{
    private static string Rules(string alert, string expr, string extra = "        for: 5m\n        labels:\n          severity: warning\n        annotations:\n          summary: s\n") =>
        $"groups:\n  - name: g\n    rules:\n      - alert: {alert}\n        expr: '{expr}'\n{extra}";

    private static Dictionary<string, string> Set(string rules) => Files(("prometheus/rules.yaml", rules));

    private const string AuthRatio = """sum(rate(istio_requests_total{reporter="destination",response_code=~"401|403"}[5m])) / sum(rate(istio_requests_total{reporter="destination"}[5m])) > 0.05""";

    [Fact]
    public void PROM001_VaultUp_FlaggedWhileUpAndVaultCoreUnsealedAreNot()
    {
        var findings = AssertRule("PROM001", Set(Rules("VaultUnhealthy", "vault_up != 1")), Set(Rules("VaultDown", "up{job=\"vault\"} == 0 or vault_core_unsealed == 0")));
        Assert.Contains("up{job=\"vault\"}", findings.Single().Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void PROM001_DashboardWithInventedVaultMetric_Flagged() =>
        AssertRule("PROM001",
            Files(("grafana/d.yaml", "dashboard:\n  panels:\n    - title: t\n      metrics:\n        - expr: rate(vault_core_handle_request_duration_seconds_sum[5m])\n")),
            Files(("grafana/d.yaml", "dashboard:\n  panels:\n    - title: t\n      metrics:\n        - expr: rate(vault_core_handle_request_sum[5m]) / rate(vault_core_handle_request_count[5m])\n")));

    [Fact]
    public void PROM002_AuthAlertOnAll4xx5xx_FlaggedWhile401And403RatioIsNot() =>
        AssertRule("PROM002",
            Set(Rules("ServiceMeshAuthFailure", """rate(istio_requests_total{response_code=~"4.*|5.*"}[5m]) > 0.1""")),
            Set(Rules("ServiceMeshAuthFailure", AuthRatio)));

    [Fact]
    public void PROM003_AbsoluteErrorRate_FlaggedWhileRatioIsNot() =>
        AssertRule("PROM003",
            Set(Rules("ErrorRate", """rate(istio_requests_total{reporter="destination",response_code=~"5.."}[5m]) > 0.1""")),
            Set(Rules("ErrorRate", AuthRatio)));

    [Fact]
    public void PROM004_NoReporter_FlaggedWhileReporterDestinationIsNot() =>
        AssertRule("PROM004",
            Set(Rules("ErrorRate", """sum(rate(istio_requests_total{response_code=~"5.."}[5m])) / sum(rate(istio_requests_total[5m])) > 0.05""")),
            Set(Rules("ErrorRate", AuthRatio)));

    [Fact]
    public void PROM005_MissingForAndSlowCriticalAndBadDuration_FlaggedWhileOneMinuteIsNot()
    {
        AssertRule("PROM005", Set(Rules("VaultDown", "up == 0", "        labels:\n          severity: critical\n")),
            Set(Rules("VaultDown", "up == 0", "        for: 1m\n        labels:\n          severity: critical\n")));
        Assert.NotEmpty(Findings("PROM005", Set(Rules("VaultDown", "up == 0", "        for: 30m\n        labels:\n          severity: critical\n"))));
        Assert.True(IsError(Assert.Single(Findings("PROM005", Set(Rules("VaultDown", "up == 0", "        for: five minutes\n"))))));
    }

    [Fact]
    public void PROM006_NoAnnotations_ReportedWhileSummaryIsNot() =>
        AssertRule("PROM006", Set(Rules("VaultDown", "up == 0", "        for: 1m\n")), Set(Rules("VaultDown", "up == 0")));

    [Fact]
    public void GRAFANA001_HistogramQuantileWithoutLe_FlaggedWhileSumByLeIsNot()
    {
        static Dictionary<string, string> Panel(string expr) => Files(("grafana/d.yaml", $"dashboard:\n  panels:\n    - title: p95\n      targets:\n        - expr: '{expr}'\n"));
        AssertRule("GRAFANA001",
            Panel("histogram_quantile(0.95, rate(istio_request_duration_milliseconds_bucket[5m]))"),
            Panel("histogram_quantile(0.95, sum by (le) (rate(istio_request_duration_milliseconds_bucket[5m])))"));
        Assert.Empty(Findings("GRAFANA001", Panel("histogram_quantile(0.95, sum(rate(istio_request_duration_milliseconds_bucket[5m])) by (le, destination_workload))")));
        Assert.NotEmpty(Findings("GRAFANA001", Panel("histogram_quantile(0.95, sum by (destination_workload) (rate(istio_request_duration_milliseconds_bucket[5m])))")));
    }

    [Fact]
    public void GRAFANA002_RateOfSumAlone_FlaggedWhileSumOverCountIsNot() =>
        AssertRule("GRAFANA002",
            Files(("grafana/d.yaml", "dashboard:\n  panels:\n    - title: t\n      metrics:\n        - expr: rate(vault_core_handle_request_sum[5m])\n")),
            Files(("grafana/d.yaml", "dashboard:\n  panels:\n    - title: t\n      metrics:\n        - expr: rate(vault_core_handle_request_sum[5m]) / rate(vault_core_handle_request_count[5m])\n")));
}
