using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Prometheus;

/// <summary>PROM005: `for:` missing (one evaluation pages) or so long a critical alert pages after the damage is done.</summary>
public sealed class ForDurationRule : LintRule
{
    public override RuleInfo Info { get; } = new("PROM005", Severity.Warning, "Prometheus",
        "alert `for` duration", References.PromAlertingRules);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var file in set.RuleFiles)
        foreach (var rule in file.Rules())
        {
            if (rule.Alert is null) continue;
            var duration = PromDuration.Parse(rule.For);
            if (rule.For is not null && duration is null)
            {
                yield return Finding(file.File, rule.Node.LineOf(rule.Line, "for"), $"{rule.Alert}: for: {rule.For} is not a Prometheus duration",
                    "Prometheus refuses to load the whole rule file, so none of its alerts run.", "Write durations like 30s, 2m, 1h.", Severity.Error);
                continue;
            }
            if (duration is null || duration == TimeSpan.Zero)
            {
                yield return Finding(file.File, rule.Line, $"{rule.Alert}: no for: duration",
                    "The alert fires on the first evaluation that matches: one slow scrape or one restart pages someone, and alerts that flap get muted.",
                    "Add for: at least 2–3 evaluation intervals (e.g. 1m–5m).");
                continue;
            }
            var critical = rule.Labels.TryGetValue("severity", out var s) && s is "critical" or "page";
            if (critical && duration > LintConstants.MaxCriticalForDuration)
                yield return Finding(file.File, rule.Node.LineOf(rule.Line, "for"), $"{rule.Alert}: severity {s} waits for: {rule.For}",
                    "A critical condition must hold this long before anyone is told; by then the outage the alert exists for has already happened.",
                    $"Keep for: at or under {LintConstants.MaxCriticalForDuration.TotalMinutes:0}m for critical alerts; use a longer window in the expression if it is noisy.");
        }
    }
}
