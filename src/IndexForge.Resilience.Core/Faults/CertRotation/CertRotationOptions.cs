namespace IndexForge.Resilience.Core.Faults.CertRotation;

/// <summary>`cert-rotation`: Workload certificates are re-issued while traffic flows.</summary>
public sealed record CertRotationOptions : FaultOptions
{
    [ReplicaReference] public string? Replica { get; init; }
    public override bool Instantaneous => true;
    public override string? Target => Replica;
    public override string Subject => Replica is null ? "all workloads" : $"replica {Replica}";
}
