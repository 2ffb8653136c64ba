using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Core.Faults.ConnectionFlood;

/// <summary>`connection-flood`: Opens many concurrent requests through the mesh, beyond its connection-pool limits.</summary>
public sealed record ConnectionFloodOptions : FaultOptions
{
    [Range(1, 100_000)] public int Connections { get; init; } = ConnectionFloodConstants.DefaultConnections;
    [PositiveDuration] public TimeSpan Hold { get; init; } = ConnectionFloodConstants.DefaultHold;
    public override string Subject => "mesh entry point";
}
