using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Promql;

namespace IndexForge.Resilience.Lint.Rules.Grafana;

/// <summary>GRAFANA002: rate(x_sum) alone is time spent per second, not latency; latency is rate(_sum) / rate(_count).</summary>
public sealed class SumWithoutCountRule : LintRule
{
    public override RuleInfo Info { get; } = new("GRAFANA002", Severity.Warning, "Grafana",
        "latency from rate(_sum) without _count", References.PromHistograms);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var source in set.PromQl())
        {
            var metrics = PromQl.MetricNames(source.Expr);
            var sums = metrics.Where(m => m.EndsWith("_sum", StringComparison.Ordinal)).ToList();
            if (sums.Count == 0 || metrics.Any(m => m.EndsWith("_count", StringComparison.Ordinal))) continue;
            yield return Finding(source.File, source.Line, $"{source.Owner}: {sums[0]} without the matching _count",
                "rate(x_sum) is the total time spent per second: it doubles when traffic doubles with latency unchanged and falls to zero " +
                "when traffic stops, so a panel named latency shows load.",
                $"Average latency is rate({sums[0]}[5m]) / rate({sums[0][..^4]}_count[5m]); for percentiles use a histogram or the summary's quantile label.");
        }
    }
}
