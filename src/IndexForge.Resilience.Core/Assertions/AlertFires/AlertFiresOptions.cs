using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Core.Assertions.AlertFires;

/// <summary>`alert-fires`: a Prometheus alert rule fires within a bound of a fault starting, and is quiet before it.</summary>
public sealed record AlertFiresOptions : AssertionOptions
{
    [Required] public string Alert { get; init; } = "";
    [Required, FaultReference] public string During { get; init; } = "";
    [PositiveDuration] public TimeSpan Within { get; init; } = AlertFiresConstants.DefaultWithin;
    public bool QuietBefore { get; init; } = true;
    /// <summary>Rules file relative to the mesh configuration's prometheus/ directory.</summary>
    public string Rules { get; init; } = AlertFiresConstants.DefaultRules;
}

public static class AlertFiresConstants
{
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(20);
    public const string DefaultRules = "rules.yaml";
    /// <summary>Finding id: the rule watches a metric no scraped exporter emits, so it can never fire.</summary>
    public const string NoSourceMetricFinding = "ALERT-NO-SOURCE-METRIC";
}
