using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.General;

/// <summary>LINT002: a fragment is kept as the plan wrote it; it cannot be applied on its own.</summary>
public sealed class FragmentRule : LintRule
{
    public override RuleInfo Info { get; } = new("LINT002", Severity.Info, "General", "configuration fragment", References.LintDoc);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context) =>
        set.Issues.Where(i => i.Kind == LoadIssueKind.Fragment).Select(i => Finding(i.File, i.Line,
            $"{i.Detail}: checked only by the rules that know this fragment",
            "A fragment has no object to attach to; applying it alone fails, and where it would be merged decides its effect.",
            "Write it into the resource it belongs to (with apiVersion, kind, metadata and, for Istio, host)."));
}
