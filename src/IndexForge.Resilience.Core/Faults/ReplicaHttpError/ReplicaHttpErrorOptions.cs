using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Core.Faults.ReplicaHttpError;

/// <summary>`replica-http-error`: A replica answers 5xx for a fraction of its requests (Polly chaos inside the sample service).</summary>
public sealed record ReplicaHttpErrorOptions : FaultOptions
{
    [Required, ReplicaReference] public string Replica { get; init; } = "";
    [Range(0.0, 1.0)] public double Rate { get; init; } = ReplicaHttpErrorConstants.DefaultRate;
    [Range(500, 599)] public int StatusCode { get; init; } = ReplicaHttpErrorConstants.DefaultStatusCode;
    public override string? Target => Replica;
    public override string Subject => $"replica {Replica}";
}
