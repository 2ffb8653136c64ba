namespace IndexForge.Resilience.Core.Faults.ForeignCaProbe;

/// <summary>`foreign-ca-probe`: A TLS client certificate from a CA the mesh does not trust; must be refused.</summary>
public sealed record ForeignCaProbeOptions : FaultOptions
{
    /// <summary>Replica the probe targets; the first replica when unset.</summary>
    [ReplicaReference] public string? Replica { get; init; }
    public override bool Instantaneous => true;
    public override string? Target => Replica;
    public override string Subject => Replica is null ? "first replica" : $"replica {Replica}";
}
