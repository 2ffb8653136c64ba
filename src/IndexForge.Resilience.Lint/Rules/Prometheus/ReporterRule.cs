using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Promql;

namespace IndexForge.Resilience.Lint.Rules.Prometheus;

/// <summary>PROM004: istio_requests_total without a reporter selector counts each request twice (client and server proxy).</summary>
public sealed class ReporterRule : LintRule
{
    public override RuleInfo Info { get; } = new("PROM004", Severity.Warning, "Prometheus",
        "istio_requests_total without reporter", References.IstioMetrics);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var source in set.PromQl())
        {
            var selectors = PromQl.Selectors(source.Expr).Where(s => s.Metric.StartsWith("istio_request", StringComparison.Ordinal)).ToList();
            if (selectors.Count == 0 || selectors.All(s => s.On("reporter").Any())) continue;
            yield return Finding(source.File, source.Line,
                $"{source.Owner}: {selectors[0].Metric} without a reporter matcher",
                "Both the client's and the server's sidecar report every request (reporter=\"source\" and \"destination\"), so rates are " +
                "doubled and thresholds tuned against them are off by two; during an outage one side may stop reporting, changing the figure again.",
                "Select reporter=\"destination\" (server view) or reporter=\"source\" (client view, includes requests that never arrived).");
        }
    }
}
