using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Core.Faults.RegionOutage;

/// <summary>`region-outage`: Every replica of a region fails for the window (stopped, or answering 503 with Mode fail).</summary>
public sealed record RegionOutageOptions : FaultOptions
{
    [Required, RegionReference] public string Region { get; init; } = "";
    [AllowedValues("stop", "fail")] public string Mode { get; init; } = RegionOutageConstants.DefaultMode;
    public override string? Target => Region;
    public override string Subject => $"region {Region}";
}
