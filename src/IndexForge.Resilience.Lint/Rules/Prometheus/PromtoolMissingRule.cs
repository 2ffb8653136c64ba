using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Promtool;

namespace IndexForge.Resilience.Lint.Rules.Prometheus;

/// <summary>PROMTOOL003: said out loud when promtool is not installed, so a skipped check is never mistaken for a pass.</summary>
public sealed class PromtoolMissingRule : LintRule
{
    public override RuleInfo Info { get; } = new("PROMTOOL003", Severity.Info, "Prometheus",
        "promtool not installed: skipped", References.PromUnitTesting);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        if (set.RuleFiles.Count + set.PromtoolTests.Count == 0) yield break;
        var reason = !context.Options.RunPromtool ? "promtool disabled: skipped" :
            PromtoolRunner.Find(context.Options) is null ? "promtool not installed: skipped" : null;
        if (reason is null) yield break;
        var first = set.RuleFiles.Select(f => f.File).Concat(set.PromtoolTests.Select(t => t.File)).First();
        yield return Finding(first, 0, $"{reason} (`promtool check rules` and `promtool test rules` did not run for this set)",
            "Only the linter's own checks ran; Prometheus's parser and the alert unit tests did not.",
            "Install it (apt-get install prometheus) to check rules with Prometheus itself.");
    }
}
