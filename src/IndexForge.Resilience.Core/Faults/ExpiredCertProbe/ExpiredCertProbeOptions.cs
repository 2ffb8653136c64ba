namespace IndexForge.Resilience.Core.Faults.ExpiredCertProbe;

/// <summary>`expired-cert-probe`: An expired certificate from the mesh CA; must be refused.</summary>
public sealed record ExpiredCertProbeOptions : FaultOptions
{
    /// <summary>Replica the probe targets; the first replica when unset.</summary>
    [ReplicaReference] public string? Replica { get; init; }
    public override bool Instantaneous => true;
    public override string? Target => Replica;
    public override string Subject => Replica is null ? "first replica" : $"replica {Replica}";
}
