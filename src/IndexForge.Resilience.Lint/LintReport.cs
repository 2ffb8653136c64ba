using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Lint;

/// <summary>Everything one lint produced, sorted by file and line.</summary>
public sealed record LintReport
{
    public required IReadOnlyList<LintFinding> Findings { get; init; }
    /// <summary>Files the linter read (whether or not they produced findings).</summary>
    public required IReadOnlyList<string> Files { get; init; }
    /// <summary>Rule ids that ran.</summary>
    public required IReadOnlyList<string> Rules { get; init; }

    public int Errors => Findings.Count(f => f.Severity == Severity.Error);
    public int Warnings => Findings.Count(f => f.Severity == Severity.Warning);
    public int Infos => Findings.Count(f => f.Severity == Severity.Info);
    public bool HasErrors => Errors > 0;

    /// <summary>1 when any error-level finding exists (the `lint` command's exit code), else 0.</summary>
    public int ExitCode => HasErrors ? ExitCodes.AssertionFailed : ExitCodes.Pass;

    /// <summary>Findings in Core's shape for RunResult.LintFindings.</summary>
    public IReadOnlyList<Finding> ToCoreFindings() => Findings.Select(f => f.ToCoreFinding()).ToList();

    public IEnumerable<LintFinding> WithRule(string ruleId) => Findings.Where(f => f.RuleId == ruleId);
}
