using IndexForge.Resilience.Core.Alerts;
using IndexForge.Resilience.Core.Assertions;
using IndexForge.Resilience.Core.Assertions.AlertFires;
using IndexForge.Resilience.Core.Metrics.PrometheusApi;
using IndexForge.Resilience.Core.Results;
using Xunit;
using static IndexForge.Resilience.Core.Tests.Assertions.AssertionFixture;

namespace IndexForge.Resilience.Core.Tests.Assertions.AlertFires;

public class AlertFiresEvaluatorTests
{
    private static AlertFiresOptions Options(string alert = "ReplicaErrors") => new()
    {
        Name = "alert", Type = AssertionTypes.AlertFires, Alert = alert, During = "break", Within = TimeSpan.FromSeconds(5),
    };

    private static readonly AlertSourceSnapshot Rules = new(
        [new AlertRuleInfo("ReplicaErrors", "rate(errors_total[10s]) > 0", "rules.yaml", "ok", null),
         new AlertRuleInfo("VaultDown", "vault_up != 1", "rules.yaml", "ok", null)],
        new HashSet<string> { "errors_total", "up" });

    /// <summary>Polls each second for 15 s; the alert is firing at the polls in <paramref name="firingAt"/>.</summary>
    private static AssertionContext Run(IEnumerable<int> firingAt, string alert = "ReplicaErrors")
    {
        var firing = firingAt.ToHashSet();
        var samples = Enumerable.Range(0, 15).Select(s => new AlertSample(TimeSpan.FromSeconds(s), firing.Contains(s)
            ? [new PromAlert(new Dictionary<string, string> { ["alertname"] = alert }, new Dictionary<string, string>(), PromAlertStates.Firing, null, 1)]
            : [])).ToList();
        var f = new AssertionFixture().Windows(15, 10, Replicas).Fault("break", "replica-http-error", "us-west-1", 5, 12);
        f.Alerts = new AlertTimeline { Samples = samples, Snapshot = Rules };
        return f.Context();
    }

    [Fact]
    public void Evaluate_FiresWithinBoundAndQuietBefore_Passes()
    {
        var r = Evaluate(Options(), Run(Enumerable.Range(8, 5)));
        Assert.Equal(Verdict.Pass, r.Verdict);
        Assert.Equal(3, r.Figures["secondsToFire"]);
    }

    [Fact]
    public void Evaluate_AlreadyFiringBeforeTheFault_Fails()
    {
        var r = Evaluate(Options(), Run(Enumerable.Range(2, 10)));
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("already firing", r.Message);
        Assert.Equal(Verdict.Pass, Evaluate(Options() with { QuietBefore = false }, Run(Enumerable.Range(2, 10))).Verdict);
    }

    [Fact]
    public void Evaluate_FiresTooLate_Fails()
    {
        var r = Evaluate(Options(), Run([13, 14]));
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("fired only 8.0s", r.Message);
    }

    [Fact]
    public void Evaluate_RuleOnMetricNoExporterEmits_FailsWithFinding()
    {
        var r = Evaluate(Options("VaultDown"), Run([]));
        Assert.Equal(Verdict.Fail, r.Verdict);
        var finding = Assert.Single(r.Findings);
        Assert.Equal(AlertFiresEvaluator.NoSourceMetricFinding, finding.Id);
        Assert.Contains("vault_up", finding.Cause);
    }

    [Fact]
    public void Evaluate_RuleNotLoaded_FailsNamingTheLoadedRules()
    {
        var r = Evaluate(Options("Nope"), Run([]));
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("no alert rule named Nope", r.Message);
        Assert.Contains("ReplicaErrors", r.Message);
    }

    [Fact]
    public void Evaluate_NoPrometheus_IsSkippedWithTheReason()
    {
        var f = new AssertionFixture().Windows(5, 10, Replicas).Fault("break", "replica-http-error", "us-west-1", 1, 3);
        f.Alerts = new AlertTimeline { Unavailable = AlertConstants.PrometheusMissing };
        var r = Evaluate(Options(), f.Context());
        Assert.Equal(Verdict.Skipped, r.Verdict);
        Assert.Equal("prometheus is not installed (apt-get install prometheus)", r.Message);
        f.Alerts = null;
        Assert.Equal(Verdict.Skipped, Evaluate(Options(), f.Context()).Verdict);
    }

    [Theory]
    [InlineData("vault_up != 1", "vault_up")]
    [InlineData("up{job=\"vault\"} == 0", "up")]
    [InlineData("sum by (cluster_name) (rate(envoy_cluster_upstream_rq_pending_overflow[1m])) > 0", "envoy_cluster_upstream_rq_pending_overflow")]
    [InlineData("rate(istio_requests_total{response_code=~\"5.*\"}[5m]) / rate(istio_requests_total[5m]) > 0.1", "istio_requests_total")]
    public void MetricNames_PromQL_ListsSelectedMetricsOnly(string promql, string expected)
    {
        Assert.Equal([expected], AlertFiresEvaluator.MetricNames(promql));
    }
}
