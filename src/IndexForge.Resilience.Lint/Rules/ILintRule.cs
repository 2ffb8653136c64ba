using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules;

/// <summary>What a rule is: its id, default severity, one-line title and the authority it is based on.</summary>
public sealed record RuleInfo(string Id, Severity Severity, string Area, string Title, string Reference);

/// <summary>One configuration check. Rules are pure: the same set and options give the same findings.</summary>
public interface ILintRule
{
    RuleInfo Info { get; }
    IEnumerable<LintFinding> Check(ConfigSet set, LintContext context);
}

/// <summary>What a rule may know beyond the set: the options (topology) and the clock.</summary>
public sealed record LintContext(LintOptions Options, TimeProvider Time)
{
    public MeshTopology Topology => Options.Topology;
}

/// <summary>Base with the finding factory: every finding carries the rule's id and reference.</summary>
public abstract class LintRule : ILintRule
{
    public abstract RuleInfo Info { get; }
    public abstract IEnumerable<LintFinding> Check(ConfigSet set, LintContext context);

    protected LintFinding Finding(string file, int line, string message, string why, string fix, Severity? severity = null, string? reference = null) => new()
    {
        RuleId = Info.Id,
        Severity = severity ?? Info.Severity,
        File = file,
        Line = line,
        Message = message,
        Why = why,
        Fix = fix,
        Reference = reference ?? Info.Reference,
    };
}
