using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.General;

/// <summary>LINT003: a file the linter could not classify; said out loud so nothing is skipped silently.</summary>
public sealed class UnrecognizedFileRule : LintRule
{
    public override RuleInfo Info { get; } = new("LINT003", Severity.Info, "General", "file not recognised", References.LintDoc);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context) =>
        set.Issues.Where(i => i.Kind == LoadIssueKind.Unrecognized).Select(i => Finding(i.File, i.Line,
            $"not checked: {i.Detail}",
            "No rule looked at this content, so a mistake in it would pass unnoticed.",
            "Keep only configuration files under clusters/, or extend the linter for this kind."));
}
