using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Core.Assertions.Threshold;

/// <summary>`threshold`: an expression over a named metric, e.g. <c>p(95) &lt; 50ms</c> or <c>rate(failed) == 0</c> (docs/scenarios.md, "Threshold grammar").</summary>
public sealed record ThresholdOptions : AssertionOptions
{
    [Required] public string Expr { get; init; } = "";
}
