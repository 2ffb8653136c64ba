using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Lint;

/// <summary>One configuration mistake: where it is, what is wrong, why it matters at run time, the fix and the authority.</summary>
public sealed record LintFinding
{
    public required string RuleId { get; init; }
    public required Severity Severity { get; init; }
    /// <summary>File path as given to the linter (or relative to the working directory).</summary>
    public required string File { get; init; }
    /// <summary>1-based line; 0 when the finding concerns the file as a whole.</summary>
    public required int Line { get; init; }
    public required string Message { get; init; }
    public required string Why { get; init; }
    public required string Fix { get; init; }
    public required string Reference { get; init; }

    public string Location => Line > 0 ? $"{File}:{Line}" : File;

    /// <summary>The run-report shape (Core's <see cref="Finding"/>): Title = message, Cause = why.</summary>
    public Finding ToCoreFinding() => new()
    {
        Id = RuleId,
        Severity = Severity,
        Title = Message,
        Cause = Why,
        Fix = Fix,
        Location = Location,
        Reference = Reference,
    };
}
