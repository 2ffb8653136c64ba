using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.General;

/// <summary>LINT001: a file that cannot be parsed hides every other finding in it.</summary>
public sealed class ParseErrorRule : LintRule
{
    public override RuleInfo Info { get; } = new("LINT001", Severity.Error, "General", "file cannot be parsed", References.LintDoc);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context) =>
        set.Issues.Where(i => i.Kind == LoadIssueKind.ParseError).Select(i => Finding(i.File, i.Line,
            $"parse error: {i.Detail}",
            "kubectl, Vault, Prometheus or compose would refuse this file the same way; nothing in it was checked.",
            "Fix the syntax at this line, then lint again."));
}
