namespace IndexForge.Resilience.Core.Scenarios;

/// <summary>One problem in a scenario file, at file:line:column, in plain words.</summary>
public sealed record ScenarioError(SourceLocation Location, string Message)
{
    public override string ToString() => $"{Location}: {Message}";
}

/// <summary>Every problem found in one or more scenario files; nothing may start while one exists.</summary>
public sealed class ScenarioValidationException(IReadOnlyList<ScenarioError> errors)
    : Exception(Format(errors))
{
    public IReadOnlyList<ScenarioError> Errors { get; } = errors;

    private static string Format(IReadOnlyList<ScenarioError> errors) =>
        $"{errors.Count} error(s):{Environment.NewLine}" + string.Join(Environment.NewLine, errors.Select(e => "  " + e));
}
