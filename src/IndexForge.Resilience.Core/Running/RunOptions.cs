using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Core.Running;

public sealed record RunOptions
{
    public required string RunId { get; init; }
    public required int Seed { get; init; }
    /// <summary>Where targets may write (certificates, Vault storage); a directory per scenario is made inside.</summary>
    public required string WorkDirectory { get; init; }
    /// <summary>The repository's clusters/ directory, where mesh configurations are resolved.</summary>
    public required string ClustersDirectory { get; init; }
    public required string TargetName { get; init; }
    public string? Suite { get; init; }
    /// <summary>Also run every scenario's negative controls.</summary>
    public bool NegativeControls { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;
    public IReadOnlyList<string> CommandLine { get; init; } = [];
    /// <summary>How often the target's metrics are scraped during the load.</summary>
    public TimeSpan ScrapeInterval { get; init; } = RunConstants.DefaultScrapeInterval;
    /// <summary>Configuration review (lint) of a mesh directory; its findings go into the report.</summary>
    public Func<string, IReadOnlyList<Finding>>? Lint { get; init; }
}

public static class RunConstants
{
    public static readonly TimeSpan DefaultScrapeInterval = TimeSpan.FromSeconds(1);
    /// <summary>Bound on bringing a target up or down; beyond it the run is an environment error.</summary>
    public static readonly TimeSpan TargetTimeout = TimeSpan.FromMinutes(10);
    public const string Tool = "IndexForge.Resilience";

    public static string ToolVersion =>
        typeof(RunConstants).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
