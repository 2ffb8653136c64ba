using System.ComponentModel.DataAnnotations;
using IndexForge.Resilience.Core.Scenarios;

namespace IndexForge.Resilience.Core.Load;

/// <summary>The load profile of a scenario: what to send (the request mix) and when (phases).</summary>
public sealed record LoadSpec : SpecNode
{
    /// <summary>Weighted request mix; one request is drawn per send with the run's seeded random.</summary>
    public List<RequestSpec> Requests { get; init; } = [new()];
    public TimeSpan Timeout { get; init; } = LoadConstants.DefaultTimeout;
    /// <summary>HTTP version: "1.1" or "2".</summary>
    [AllowedValues("1.1", "2")] public string Http { get; init; } = LoadConstants.DefaultHttpVersion;
    /// <summary>Open model: sends beyond this many in flight are dropped and counted.</summary>
    [Range(1, 1_000_000)] public int MaxInFlight { get; init; } = LoadConstants.DefaultMaxInFlight;
    /// <summary>Connections per endpoint the client may open.</summary>
    [Range(1, 100_000)] public int Connections { get; init; } = LoadConstants.DefaultConnections;
    [Required, MinLength(1)] public List<PhaseOptions> Phases { get; init; } = [];

    public TimeSpan TotalDuration => Phases.Aggregate(TimeSpan.Zero, (t, p) => t + p.Length);

    /// <summary>Start offset of each phase from the start of the load.</summary>
    public IReadOnlyList<(PhaseOptions Phase, TimeSpan Start)> Schedule()
    {
        var list = new List<(PhaseOptions, TimeSpan)>();
        var t = TimeSpan.Zero;
        foreach (var p in Phases) { list.Add((p, t)); t += p.Length; }
        return list;
    }
}

public sealed record RequestSpec : SpecNode
{
    public string? Name { get; init; }
    [AllowedValues("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH")] public string Method { get; init; } = "GET";
    [Required] public string Path { get; init; } = LoadConstants.DefaultPath;
    public string? Body { get; init; }
    public string? ContentType { get; init; }
    public Dictionary<string, string> Headers { get; init; } = [];
    [Range(1, 1_000_000)] public int Weight { get; init; } = 1;
}

/// <summary>Where a phase sends: through the mesh entry point, or straight to one replica.</summary>
public static class Routes
{
    public const string Mesh = "mesh";
    public const string Direct = "direct";
}

/// <summary>
/// One named phase of the load. The <see cref="Type"/> key picks the concrete shape from
/// <see cref="PhaseTypes"/>.
/// </summary>
public abstract record PhaseOptions : SpecNode
{
    [Required] public string Name { get; init; } = "";
    public string Type { get; init; } = "";
    /// <summary>"mesh" (default) or "direct" to one replica with a workload certificate (overhead baselines).</summary>
    [AllowedValues(Routes.Mesh, Routes.Direct)] public string Route { get; init; } = Routes.Mesh;
    /// <summary>Replica a direct phase targets; the first replica of the caller's region when unset.</summary>
    [ReplicaReference] public string? Replica { get; init; }
    public abstract TimeSpan Length { get; }
}

public static class PhaseTypes
{
    public const string ConstantArrivalRate = "constant-arrival-rate";
    public const string RampingArrivalRate = "ramping-arrival-rate";
    public const string ConstantConcurrency = "constant-concurrency";
    public const string Pause = "pause";
}
