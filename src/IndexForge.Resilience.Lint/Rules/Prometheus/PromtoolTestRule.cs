using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Promtool;

namespace IndexForge.Resilience.Lint.Rules.Prometheus;

/// <summary>PROMTOOL002: `promtool test rules` — the alert unit tests next to the rules must pass.</summary>
public sealed class PromtoolTestRule : LintRule
{
    public override RuleInfo Info { get; } = new("PROMTOOL002", Severity.Error, "Prometheus",
        "promtool rule unit test fails", References.PromUnitTesting);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        if (!context.Options.RunPromtool || set.PromtoolTests.Count == 0 || PromtoolRunner.Find(context.Options) is not { } promtool) yield break;
        foreach (var test in set.PromtoolTests)
        {
            var full = Path.GetFullPath(test.File);
            var result = PromtoolRunner.Run(promtool, ["test", "rules", full], Path.GetDirectoryName(full)!, context.Options.PromtoolTimeout);
            if (result.ExitCode == 0) continue;
            yield return Finding(test.File, 0, $"promtool test rules failed: {PromtoolCheckRule.Summarise(result.Output, full)}",
                "The alerts do not behave as the tests state: an alert that should fire on the given series does not (or the reverse).",
                "Run `promtool test rules " + test.File + "` and fix the rule or the test.");
        }
    }
}
