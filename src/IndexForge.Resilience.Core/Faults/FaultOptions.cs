using IndexForge.Resilience.Core.Scenarios;

namespace IndexForge.Resilience.Core.Faults;

/// <summary>
/// One entry of a scenario's fault timeline. The <see cref="Type"/> key picks the concrete options
/// from <see cref="FaultTypes"/>; the target decides how the fault happens (kill a process vs delete a pod).
/// </summary>
public abstract record FaultOptions : SpecNode
{
    /// <summary>Name assertions use to refer to this fault's window; defaults to the type.</summary>
    public string Name { get; init; } = "";
    public string Type { get; init; } = "";
    /// <summary>Offset from the start of the load.</summary>
    public TimeSpan At { get; init; }
    /// <summary>How long the fault lasts; unset means until the end of the load (or instantaneous for probes).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>True for faults that happen once and have nothing to revert (probes, rotations).</summary>
    public virtual bool Instantaneous => false;

    /// <summary>What the fault acts on, for reports (e.g. "replica us-west-2").</summary>
    public abstract string Subject { get; }

    /// <summary>The bare name of what the fault acts on (a replica id, region or zone), for assertions to match; null when it acts on no one member.</summary>
    public virtual string? Target => null;

    /// <summary>End offset of the fault window given the load's length.</summary>
    public TimeSpan EndWithin(TimeSpan loadLength) => Duration is { } d ? At + d : Instantaneous ? At : loadLength;
}

/// <summary>The kebab-case keys of every fault type; the YAML <c>type:</c> must be one of them.</summary>
public static class FaultTypes
{
    public const string ReplicaHttpError = "replica-http-error";
    public const string ReplicaLatency = "replica-latency";
    public const string ReplicaKill = "replica-kill";
    public const string ZoneOutage = "zone-outage";
    public const string RegionOutage = "region-outage";
    public const string ConnectionFlood = "connection-flood";
    public const string MeshFault = "mesh-fault";
    public const string VaultSeal = "vault-seal";
    public const string VaultOutage = "vault-outage";
    public const string SecretRotation = "secret-rotation";
    public const string CertRotation = "cert-rotation";
    public const string NetworkLatency = "network-latency";
    public const string PlaintextProbe = "plaintext-probe";
    public const string ForeignCaProbe = "foreign-ca-probe";
    public const string ExpiredCertProbe = "expired-cert-probe";
    public const string TlsVersionProbe = "tls-version-probe";
    public const string WeakCipherProbe = "weak-cipher-probe";
    public const string UnauthorizedSourceProbe = "unauthorized-source-probe";
}
