using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Core.Faults.ReplicaKill;

/// <summary>`replica-kill`: A replica stops (process killed / pod deleted) and is restarted when the window ends.</summary>
public sealed record ReplicaKillOptions : FaultOptions
{
    [Required, ReplicaReference] public string Replica { get; init; } = "";
    public override string? Target => Replica;
    public override string Subject => $"replica {Replica}";
}
