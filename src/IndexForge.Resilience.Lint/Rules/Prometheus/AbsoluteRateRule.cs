using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Promql;

namespace IndexForge.Resilience.Lint.Rules.Prometheus;

/// <summary>PROM003: an error alert on an absolute request rate rather than a ratio of all requests.</summary>
public sealed class AbsoluteRateRule : LintRule
{
    public override RuleInfo Info { get; } = new("PROM003", Severity.Warning, "Prometheus",
        "error alert on an absolute rate instead of a ratio", References.PromAlertingPractices);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var file in set.RuleFiles)
        foreach (var rule in file.Rules())
        {
            if (rule.Alert is null || PromQl.HasDivision(rule.Expr)) continue;
            var errorSelectors = PromQl.Selectors(rule.Expr).Where(s => s.Metric == "istio_requests_total" && s.On("response_code").Any()).ToList();
            if (errorSelectors.Count == 0) continue;
            var aggregated = PromQl.Groupings(rule.Expr).Any();
            yield return Finding(file.File, rule.ExprLine,
                $"{rule.Alert}: compares a rate of error responses (requests per second) with a constant" + (aggregated ? "" : ", per series"),
                "The same threshold means \"everything is failing\" at 0.2 rps and \"one in ten thousand\" at 1000 rps, so the alert is noise at " +
                "peak and silent at night" + (aggregated ? "." : "; without sum() it is also judged per pod, code and source, so a spread-out failure never crosses it."),
                "Alert on the error ratio: sum(rate(errors[5m])) / sum(rate(all[5m])) > 0.05.");
        }
    }
}
