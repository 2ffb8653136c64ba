using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Reports.Compare;

public enum ChangeStatus { Unchanged, WithinTolerance, Improved, Changed, Regressed, Missing, Added }

/// <summary>A verdict of a scenario (Assertion null) or of an assertion, baseline vs candidate.</summary>
public sealed record VerdictChange(string Scenario, string? Assertion, Verdict? Baseline, Verdict? Candidate, ChangeStatus Status, bool IsRegression);

/// <summary>One figure, baseline vs candidate, with the tolerance it was judged by.</summary>
public sealed record FigureChange(
    string Scenario, string? Assertion, string Figure, double? Baseline, double? Candidate,
    FigureDirection Direction, double AllowedChange, ChangeStatus Status, bool IsRegression)
{
    public double? Delta => Baseline is { } b && Candidate is { } c ? c - b : null;
    public double? DeltaPercent => Baseline is { } b && Candidate is { } c && b != 0 ? (c - b) / Math.Abs(b) * 100 : null;
}

public sealed record RunComparison
{
    public string SchemaVersion { get; init; } = CompareConstants.SchemaVersion;
    public required string BaselineRunId { get; init; }
    public required string CandidateRunId { get; init; }
    public required string BaselineToolVersion { get; init; }
    public required string CandidateToolVersion { get; init; }
    public required double RelativeTolerance { get; init; }
    public required IReadOnlyList<VerdictChange> Verdicts { get; init; }
    public required IReadOnlyList<FigureChange> Figures { get; init; }
    public int Regressions => Verdicts.Count(v => v.IsRegression) + Figures.Count(f => f.IsRegression);
    public bool HasRegression => Regressions > 0;
}
