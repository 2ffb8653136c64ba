using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Promql;

namespace IndexForge.Resilience.Lint.Rules.Prometheus;

/// <summary>PROM002: an alert named for authentication/authorisation failures that counts other response codes.</summary>
public sealed class AlertMeasuresOtherThingRule : LintRule
{
    private static readonly string[] AuthWords = ["auth", "unauthori", "forbidden", "denied", "mtls"];
    private static readonly string[] OtherCodes = ["404", "429", "500", "502", "503", "504"];

    public override RuleInfo Info { get; } = new("PROM002", Severity.Error, "Prometheus",
        "alert does not measure what its name says", References.PromAlertingPractices);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var file in set.RuleFiles)
        foreach (var rule in file.Rules())
        {
            if (rule.Alert is not { } name || !AuthWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase))) continue;
            var codes = PromQl.Selectors(rule.Expr).Where(s => s.Metric == "istio_requests_total").SelectMany(s => s.On("response_code")).ToList();
            if (PromQl.Selectors(rule.Expr).All(s => s.Metric != "istio_requests_total")) continue;
            var counted = OtherCodes.Where(code => codes.Count == 0 || codes.All(m => m.Accepts(code))).ToList();
            if (counted.Count == 0) continue;
            yield return Finding(file.File, rule.ExprLine,
                $"{name}: the expression also counts responses {string.Join(", ", counted)}, which are not authentication or authorisation failures",
                "The alert fires on ordinary 404s and 5xx (a bad deploy, an overloaded replica) and pages the security on-call for them, " +
                "while refused mTLS handshakes never reach istio_requests_total at all. A name that promises auth failures but " +
                "measures all errors gets ignored, and then real auth failures are ignored with it.",
                "Count 401/403 only, as a share of all requests: sum(rate(istio_requests_total{reporter=\"destination\",response_code=~\"401|403\"}[5m])) " +
                "/ sum(rate(istio_requests_total{reporter=\"destination\"}[5m])) > 0.05; alert on 5xx separately.");
        }
    }
}
