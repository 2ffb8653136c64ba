using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Core.Assertions.Threshold;

/// <summary>`threshold`: an expression over a named metric, e.g. <c>p(95) &lt; 50ms</c> or <c>rate(failed) == 0</c> (docs/scenarios.md, "Threshold grammar").</summary>
public sealed record ThresholdOptions : AssertionOptions, IValidatableSpec
{
    [Required] public string Expr { get; init; } = "";

    public IEnumerable<(string Key, string Message)> ValidateSpec()
    {
        if (Expr.Length > 0 && !ThresholdExpression.TryParse(Expr, out _, out var error)) yield return ("expr", error);
    }
}
