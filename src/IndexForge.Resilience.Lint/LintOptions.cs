using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Lint;

/// <summary>How to lint: the topology to judge against and whether to run promtool.</summary>
public sealed record LintOptions
{
    public static LintOptions Default { get; } = new();

    [Required] public MeshTopology Topology { get; init; } = new();
    /// <summary>Run `promtool check rules` / `promtool test rules` when promtool is on PATH.</summary>
    public bool RunPromtool { get; init; } = true;
    /// <summary>Explicit promtool path; null looks it up on PATH.</summary>
    public string? PromtoolPath { get; init; }
    public TimeSpan PromtoolTimeout { get; init; } = LintConstants.PromtoolTimeout;
    /// <summary>Vault minors older than this are end of life (e.g. "1.19").</summary>
    [Required, RegularExpression(@"^\d+\.\d+$")] public string VaultOldestSupportedMinor { get; init; } = LintConstants.VaultOldestSupportedMinor;
    /// <summary>Only these rule ids run when set (tests and `--rule`); null runs all.</summary>
    public IReadOnlySet<string>? OnlyRules { get; init; }

    /// <summary>Every problem at once, as DataAnnotations sees them.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), errors, validateAllProperties: true);
        Validator.TryValidateObject(Topology, new ValidationContext(Topology), errors, validateAllProperties: true);
        var messages = errors.Select(e => e.ErrorMessage ?? "invalid").ToList();
        if (PromtoolTimeout <= TimeSpan.Zero) messages.Add("PromtoolTimeout must be positive");
        if (Topology.ReplicasIn(Topology.CallerRegion) == 0) messages.Add($"the caller region {Topology.CallerRegion} has no replicas in Topology.Regions");
        return messages;
    }
}
