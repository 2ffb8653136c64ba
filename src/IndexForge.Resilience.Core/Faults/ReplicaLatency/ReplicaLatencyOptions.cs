using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Core.Faults.ReplicaLatency;

/// <summary>`replica-latency`: A replica answers late.</summary>
public sealed record ReplicaLatencyOptions : FaultOptions
{
    [Required, ReplicaReference] public string Replica { get; init; } = "";
    [PositiveDuration] public TimeSpan Delay { get; init; } = ReplicaLatencyConstants.DefaultDelay;
    [Range(0.0, 1.0)] public double Rate { get; init; } = ReplicaLatencyConstants.DefaultRate;
    public override string? Target => Replica;
    public override string Subject => $"replica {Replica}";
}
