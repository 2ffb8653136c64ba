namespace IndexForge.Resilience.Core.Faults.WeakCipherProbe;

/// <summary>`weak-cipher-probe`: A handshake offering only weak ciphers; must be refused.</summary>
public sealed record WeakCipherProbeOptions : FaultOptions
{
    /// <summary>Replica the probe targets; the first replica when unset.</summary>
    [ReplicaReference] public string? Replica { get; init; }
    public string Cipher { get; init; } = WeakCipherProbeConstants.DefaultCipher;
    public override bool Instantaneous => true;
    public override string? Target => Replica;
    public override string Subject => Replica is null ? "first replica" : $"replica {Replica}";
}
