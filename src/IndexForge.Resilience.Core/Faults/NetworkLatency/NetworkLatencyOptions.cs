namespace IndexForge.Resilience.Core.Faults.NetworkLatency;

/// <summary>`network-latency`: Adds latency on the network path to a replica or region, in user space (no netem here).</summary>
public sealed record NetworkLatencyOptions : FaultOptions
{
    [ReplicaReference] public string? Replica { get; init; }
    [RegionReference] public string? Region { get; init; }
    [PositiveDuration] public TimeSpan Delay { get; init; } = NetworkLatencyConstants.DefaultDelay;
    public TimeSpan Jitter { get; init; }
    public override string? Target => Replica ?? Region;
    public override string Subject => Replica is not null ? $"replica {Replica}" : Region is not null ? $"region {Region}" : "all replicas";
}
