using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Promql;

namespace IndexForge.Resilience.Lint.Rules.Prometheus;

/// <summary>PROM001: an expression on a metric no exporter emits returns nothing: the alert never fires, the panel stays empty.</summary>
public sealed class UnknownMetricRule : LintRule
{
    public override RuleInfo Info { get; } = new("PROM001", Severity.Error, "Prometheus",
        "expression reads a metric no exporter emits", References.VaultCoreMetrics);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var source in set.PromQl())
        foreach (var metric in PromQl.MetricNames(source.Expr))
        {
            if (!KnownMetrics.IsJudged(metric) || KnownMetrics.IsKnown(metric)) continue;
            var suggestion = KnownMetrics.Suggest(metric);
            yield return Finding(source.File, source.Line,
                $"{source.Owner}: {metric} is not a metric Vault or Istio emits",
                source.IsAlert
                    ? "An alert on a series that never exists evaluates to an empty result, which Prometheus treats as \"not firing\": the alert is dead and stays green through a real outage."
                    : "The query returns no data, so the panel is empty exactly when someone looks at it.",
                suggestion is null ? "Use a metric from the exporter's documented list." : $"Use {suggestion}.",
                reference: metric.StartsWith("istio_", StringComparison.Ordinal) ? References.IstioMetrics : null);
        }
    }
}
