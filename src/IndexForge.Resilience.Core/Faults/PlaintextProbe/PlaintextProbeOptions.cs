namespace IndexForge.Resilience.Core.Faults.PlaintextProbe;

/// <summary>`plaintext-probe`: A plaintext HTTP request straight to a replica; STRICT mTLS must refuse it.</summary>
public sealed record PlaintextProbeOptions : FaultOptions
{
    /// <summary>Replica the probe targets; the first replica when unset.</summary>
    [ReplicaReference] public string? Replica { get; init; }
    public override bool Instantaneous => true;
    public override string? Target => Replica;
    public override string Subject => Replica is null ? "first replica" : $"replica {Replica}";
}
