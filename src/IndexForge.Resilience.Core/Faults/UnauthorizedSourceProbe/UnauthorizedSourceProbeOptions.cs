namespace IndexForge.Resilience.Core.Faults.UnauthorizedSourceProbe;

/// <summary>`unauthorized-source-probe`: A request from a workload identity the policy does not authorize; must be refused.</summary>
public sealed record UnauthorizedSourceProbeOptions : FaultOptions
{
    /// <summary>Replica the probe targets; the first replica when unset.</summary>
    [ReplicaReference] public string? Replica { get; init; }
    public string Source { get; init; } = UnauthorizedSourceProbeConstants.DefaultSource;
    public override bool Instantaneous => true;
    public override string? Target => Replica;
    public override string Subject => Replica is null ? "first replica" : $"replica {Replica}";
}
