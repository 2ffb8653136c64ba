using System.ComponentModel.DataAnnotations;
using IndexForge.Resilience.Core.Assertions;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Load;

namespace IndexForge.Resilience.Core.Scenarios;

/// <summary>
/// One scenario file: the mesh config it runs with, the topology, a load profile, a fault timeline
/// and assertions, and the plan claim it certifies. Every key is documented in docs/scenarios.md.
/// </summary>
public sealed record Scenario : SpecNode
{
    [Required] public string Name { get; init; } = "";
    /// <summary>The promise of the plan this scenario certifies, in the plan's words.</summary>
    [Required] public string Claim { get; init; } = "";
    /// <summary>The section of phase5-security-plan.md the claim comes from.</summary>
    public string? PlanSection { get; init; }
    public string? Description { get; init; }
    /// <summary>Mesh configuration directory, relative to the repository's clusters/ or the file.</summary>
    public string Mesh { get; init; } = ScenarioConstants.DefaultMesh;
    /// <summary>Suites this scenario belongs to (default, certify).</summary>
    public List<string> Suites { get; init; } = [ScenarioConstants.DefaultSuite];
    public TopologySpec Topology { get; init; } = new();
    [Required] public LoadSpec Load { get; init; } = new();
    public SecretsSpec? Secrets { get; init; }
    public List<FaultOptions> Faults { get; init; } = [];
    public List<AssertionOptions> Assertions { get; init; } = [];
    /// <summary>Variants under which named assertions must fail; proves each assertion can fail.</summary>
    public List<NegativeControlSpec> NegativeControls { get; init; } = [];

    /// <summary>The file the scenario was read from (not a YAML key).</summary>
    public string SourceFile => Location.File;

    /// <summary>Total length of the load profile; faults and windows must fit inside it.</summary>
    public TimeSpan TotalDuration => Load.TotalDuration;
}

public sealed record TopologySpec : SpecNode
{
    /// <summary>Region of the calling workload (the sidecar the load enters through).</summary>
    public string CallerRegion { get; init; } = ScenarioConstants.DefaultCallerRegion;
    /// <summary>Replica count per region, e.g. us-west: 3.</summary>
    public Dictionary<string, int> Replicas { get; init; } = new(ScenarioConstants.DefaultReplicas);
    [Range(1, 26)] public int ZonesPerRegion { get; init; } = ScenarioConstants.DefaultZonesPerRegion;

    /// <summary>Replica ids in a stable order: us-west-1, us-west-2, ... then the next region.</summary>
    public IReadOnlyList<ReplicaId> ReplicaIds()
    {
        var list = new List<ReplicaId>();
        foreach (var (region, count) in Replicas)
        {
            for (var i = 1; i <= count; i++)
            {
                var zone = $"{region}{(char)('a' + (i - 1) % Math.Max(1, ZonesPerRegion))}";
                list.Add(new ReplicaId($"{region}-{i}", region, zone));
            }
        }
        return list;
    }
}

public sealed record ReplicaId(string Id, string Region, string Zone);

public sealed record SecretsSpec : SpecNode
{
    /// <summary>KV v2 path the sample service reads its credential from.</summary>
    public string Path { get; init; } = ScenarioConstants.DefaultSecretPath;
    /// <summary>How often replicas re-read the secret (as Vault Agent would).</summary>
    public TimeSpan RefreshInterval { get; init; } = ScenarioConstants.DefaultSecretRefresh;
    /// <summary>How long the previous version is still accepted after a rotation; 0 disables overlap.</summary>
    public TimeSpan Overlap { get; init; } = ScenarioConstants.DefaultSecretOverlap;
}

/// <summary>
/// A variant of the scenario that must make the named assertions fail, e.g. the same run with
/// outlier detection off. <c>./run.sh test</c> fails if any of them passes.
/// </summary>
public sealed record NegativeControlSpec : SpecNode
{
    [Required] public string Name { get; init; } = "";
    /// <summary>Mesh configuration to use instead (e.g. clusters/controls/no-outlier-detection).</summary>
    public string? Mesh { get; init; }
    public SecretsSpec? Secrets { get; init; }
    public Dictionary<string, int>? Replicas { get; init; }
    /// <summary>Assertion names that must fail under this variant.</summary>
    [Required, MinLength(1)] public List<string> MustFail { get; init; } = [];
    public string? Why { get; init; }
}

public static class ScenarioConstants
{
    public const string DefaultMesh = "hardened";
    public const string DefaultSuite = "default";
    public const string CertifySuite = "certify";
    public const string DefaultCallerRegion = "us-west";
    public const int DefaultZonesPerRegion = 2;
    public const string DefaultSecretPath = "indexforge/search-api";
    public static readonly TimeSpan DefaultSecretRefresh = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultSecretOverlap = TimeSpan.FromSeconds(30);
    public static readonly IReadOnlyDictionary<string, int> DefaultReplicas =
        new Dictionary<string, int> { ["us-west"] = 3, ["us-east"] = 3 };
}
