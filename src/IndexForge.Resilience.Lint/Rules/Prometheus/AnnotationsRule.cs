using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Prometheus;

/// <summary>PROM006: an alert without summary/description tells the person it wakes nothing.</summary>
public sealed class AnnotationsRule : LintRule
{
    public override RuleInfo Info { get; } = new("PROM006", Severity.Info, "Prometheus",
        "alert without summary or description", References.PromAlertingRules);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var file in set.RuleFiles)
        foreach (var rule in file.Rules())
        {
            if (rule.Alert is null) continue;
            var annotations = rule.Annotations;
            if (annotations.ContainsKey("summary") || annotations.ContainsKey("description")) continue;
            yield return Finding(file.File, rule.Line, $"{rule.Alert}: no summary or description annotation",
                "The notification carries only the alert name and labels: the on-call has to reverse-engineer the expression to know " +
                "what broke and what to do.",
                "Add annotations.summary (with {{ $labels }} / {{ $value }}), description and a runbook_url.");
        }
    }
}
