using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Core.Faults.MeshFault;

/// <summary>`mesh-fault`: A VirtualService fault (abort and/or delay) applied by the caller's sidecar; it never reaches the upstream.</summary>
public sealed record MeshFaultOptions : FaultOptions
{
    [Range(200, 599)] public int? AbortStatus { get; init; }
    [Range(0.0, 100.0)] public double AbortPercent { get; init; } = MeshFaultConstants.DefaultPercent;
    public TimeSpan? Delay { get; init; }
    [Range(0.0, 100.0)] public double DelayPercent { get; init; } = MeshFaultConstants.DefaultPercent;
    public override string Subject => "VirtualService";
}
