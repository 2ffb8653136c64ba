using IndexForge.Resilience.Core.Scenarios;

namespace IndexForge.Resilience.Core.Assertions;

/// <summary>
/// One assertion of a scenario. The <see cref="Type"/> key picks the concrete options from
/// <see cref="AssertionTypes"/>; <see cref="Phase"/> or <see cref="Window"/> narrow the evidence.
/// </summary>
public abstract record AssertionOptions : SpecNode
{
    /// <summary>Name in reports and JUnit; defaults to the type.</summary>
    public string Name { get; init; } = "";
    public string Type { get; init; } = "";
    /// <summary>Evaluate over this load phase only.</summary>
    [PhaseReference] public string? Phase { get; init; }
    /// <summary>Evaluate over this fault's window only.</summary>
    [FaultReference] public string? Window { get; init; }
    public string? Description { get; init; }
}

public static class AssertionTypes
{
    public const string Threshold = "threshold";
    public const string OutlierEjected = "outlier-ejected";
    public const string Failover = "failover";
    public const string LatencyOverhead = "latency-overhead";
    public const string ZeroDowntime = "zero-downtime";
    public const string Refused = "refused";
    public const string AlertFires = "alert-fires";
}
