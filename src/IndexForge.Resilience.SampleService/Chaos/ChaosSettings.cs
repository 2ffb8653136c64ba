using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.SampleService.Chaos;

/// <summary>What the control endpoint (<c>PUT /control/chaos</c>) asks a replica to do to its own API traffic.</summary>
public sealed record ChaosSettings
{
    /// <summary>Fraction (0..1) of API requests answered with <see cref="StatusCode"/>.</summary>
    [Range(0.0, 1.0)] public double ErrorRate { get; init; }
    [Range(500, 599)] public int StatusCode { get; init; } = ChaosConstants.DefaultStatusCode;
    /// <summary>Added latency for a fraction (<see cref="LatencyRate"/>) of API requests.</summary>
    [Range(0, 600_000)] public int LatencyMs { get; init; }
    [Range(0.0, 1.0)] public double LatencyRate { get; init; }

    public static readonly ChaosSettings None = new();

    public bool IsActive => ErrorRate > 0 || (LatencyMs > 0 && LatencyRate > 0);
}

public static class ChaosConstants
{
    public const int DefaultStatusCode = 500;
}
