using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Promql;

namespace IndexForge.Resilience.Lint.Rules.Grafana;

/// <summary>GRAFANA001: histogram_quantile over unaggregated buckets yields one quantile per series, not the service's.</summary>
public sealed class HistogramQuantileRule : LintRule
{
    public override RuleInfo Info { get; } = new("GRAFANA001", Severity.Warning, "Grafana",
        "histogram_quantile without sum by (le)", References.PromHistogramQuantile);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var source in set.PromQl())
        foreach (var call in PromQl.Calls(source.Expr).Where(c => c.Name == "histogram_quantile"))
        {
            var args = PromQl.SplitArguments(call.Arguments);
            if (args.Count < 2) continue;
            var groupings = PromQl.Groupings(args[1]);
            var keepsLe = groupings.Any(g => (g.Mode == "by" && g.Labels.Contains("le")) || (g.Mode == "without" && !g.Labels.Contains("le")));
            if (keepsLe) continue;
            var problem = groupings.Count == 0 ? "the buckets are not aggregated" : "the aggregation drops the le label";
            yield return Finding(source.File, source.Line, $"{source.Owner}: histogram_quantile({args[0]}, ...) where {problem}",
                groupings.Count == 0
                    ? "Without sum by (le) Prometheus computes a separate p95 for every combination of source, destination, pod and response code: " +
                      "dozens of lines, none of them the service's p95, and quantiles of tiny series are mostly bucket-boundary noise."
                    : "histogram_quantile needs the le label to find the bucket boundaries; without it the result is empty.",
                "histogram_quantile(0.95, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter=\"destination\"}[5m]))) " +
                "— add labels to the by clause only for the lines you want.");
        }
    }
}
