using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Core.Faults.TlsVersionProbe;

/// <summary>`tls-version-probe`: A handshake offering only an old TLS version; must be refused.</summary>
public sealed record TlsVersionProbeOptions : FaultOptions
{
    /// <summary>Replica the probe targets; the first replica when unset.</summary>
    [ReplicaReference] public string? Replica { get; init; }
    [AllowedValues("1.0", "1.1", "1.2", "1.3")] public string Version { get; init; } = TlsVersionProbeConstants.DefaultVersion;
    public override bool Instantaneous => true;
    public override string? Target => Replica;
    public override string Subject => Replica is null ? "first replica" : $"replica {Replica}";
}
