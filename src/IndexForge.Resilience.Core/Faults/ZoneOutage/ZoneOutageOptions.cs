using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Core.Faults.ZoneOutage;

/// <summary>`zone-outage`: Every replica of a zone stops for the window.</summary>
public sealed record ZoneOutageOptions : FaultOptions
{
    [Required, ZoneReference] public string Zone { get; init; } = "";
    public override string? Target => Zone;
    public override string Subject => $"zone {Zone}";
}
