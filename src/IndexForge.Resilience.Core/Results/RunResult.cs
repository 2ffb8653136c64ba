namespace IndexForge.Resilience.Core.Results;

/// <summary>
/// Everything a run produced, immutable. Report writers read it and never recompute figures;
/// summary.json is this record serialised (schema <see cref="SchemaVersion"/>, docs/summary-schema.md).
/// </summary>
public sealed record RunResult
{
    public const string CurrentSchemaVersion = "1.0";

    public string SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required RunManifest Manifest { get; init; }
    public required IReadOnlyList<ScenarioResult> Scenarios { get; init; }
    public Verdict Verdict { get; init; }
    /// <summary>True when the run was interrupted (Ctrl-C, crash); the report says so.</summary>
    public bool Aborted { get; init; }
    public string? AbortReason { get; init; }
    /// <summary>Configuration findings (lint) seen before the run started.</summary>
    public IReadOnlyList<Finding> LintFindings { get; init; } = [];
}

public sealed record RunManifest
{
    public required string RunId { get; init; }
    public required string Tool { get; init; }
    public required string ToolVersion { get; init; }
    public required string Target { get; init; }
    public required int Seed { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset FinishedAt { get; init; }
    public required MachineInfo Machine { get; init; }
    /// <summary>SHA-256 of every input file (scenario and mesh config), path to hex.</summary>
    public IReadOnlyDictionary<string, string> ConfigHashes { get; init; } = new Dictionary<string, string>();
    public string? Suite { get; init; }
    public IReadOnlyList<string> CommandLine { get; init; } = [];
}

public sealed record MachineInfo(string Host, string Os, int ProcessorCount, string Runtime)
{
    public static MachineInfo Current() => new(
        Environment.MachineName,
        System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        Environment.ProcessorCount,
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
}

public sealed record ScenarioResult
{
    public required string Name { get; init; }
    public required string File { get; init; }
    /// <summary>The plan claim this scenario certifies, as the scenario states it.</summary>
    public required string Claim { get; init; }
    public string? PlanSection { get; init; }
    /// <summary>The mesh configuration it ran with (e.g. clusters/hardened).</summary>
    public required string MeshConfig { get; init; }
    /// <summary>Set when this result is a negative-control variant of another scenario.</summary>
    public string? NegativeControlOf { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required TimeSpan Duration { get; init; }
    public required Verdict Verdict { get; init; }
    public IReadOnlyList<PhaseSpan> Phases { get; init; } = [];
    public IReadOnlyList<FaultRecord> Faults { get; init; } = [];
    public IReadOnlyList<WindowStats> Windows { get; init; } = [];
    public required LoadSummary Load { get; init; }
    public IReadOnlyList<AssertionResult> Assertions { get; init; } = [];
    public IReadOnlyList<Finding> Findings { get; init; } = [];
    /// <summary>Things the reader must know to trust the verdict: unemulated mesh fields, saturation.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public IReadOnlyList<TimelineEvent> Events { get; init; } = [];
    /// <summary>Latency distributions worth plotting side by side (e.g. direct vs mesh), by name.</summary>
    public IReadOnlyList<LatencyDistribution> Distributions { get; init; } = [];
    public string? Error { get; init; }
}

/// <summary>A named load phase and where it sat on the run's clock (offsets from load start).</summary>
public sealed record PhaseSpan(string Name, string Type, TimeSpan Start, TimeSpan End, string Route);

/// <summary>A fault as it actually happened: when it was injected and reverted, and how.</summary>
public sealed record FaultRecord
{
    public required string Name { get; init; }
    public required string Type { get; init; }
    public required string Subject { get; init; }
    /// <summary>Bare name of the replica, region or zone the fault acts on (null when none), for assertions to match.</summary>
    public string? Target { get; init; }
    public required TimeSpan Start { get; init; }
    public TimeSpan? End { get; init; }
    public bool Injected { get; init; }
    public bool Reverted { get; init; }
    public string? Error { get; init; }
    /// <summary>What a probe saw, or what an injector did, in plain words (no secret values).</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();
}

/// <summary>Something the target or the harness observed at a moment, e.g. an outlier ejection.</summary>
public sealed record TimelineEvent(TimeSpan At, string Kind, string Subject, string Detail);

public sealed record LatencyDistribution(string Name, IReadOnlyList<PercentilePoint> Points);

public sealed record PercentilePoint(double Percentile, double Milliseconds);

public sealed record AssertionResult
{
    public required string Name { get; init; }
    public required string Type { get; init; }
    public required Verdict Verdict { get; init; }
    /// <summary>What was required, e.g. "p(95) &lt; 50ms".</summary>
    public required string Expected { get; init; }
    /// <summary>What was seen, e.g. "p(95) = 12.4ms".</summary>
    public required string Observed { get; init; }
    /// <summary>The stretch of the run the figure comes from (phase or fault window).</summary>
    public string? Window { get; init; }
    public TimeSpan? WindowStart { get; init; }
    public TimeSpan? WindowEnd { get; init; }
    public string? Message { get; init; }
    /// <summary>Figures behind the verdict, by name, for compare and the report.</summary>
    public IReadOnlyDictionary<string, double> Figures { get; init; } = new Dictionary<string, double>();
    /// <summary>Why the promise failed and how to fix it, when the evaluator can tell; the runner copies them into the scenario's findings.</summary>
    public IReadOnlyList<Finding> Findings { get; init; } = [];
    /// <summary>Latency distributions behind the verdict (e.g. direct vs mesh); the runner adds them to the scenario's distributions.</summary>
    public IReadOnlyList<LatencyDistribution> Distributions { get; init; } = [];
}

public enum Severity { Info, Warning, Error }

/// <summary>A finding explains a failed promise or a configuration mistake: cause and fix.</summary>
public sealed record Finding
{
    public required string Id { get; init; }
    public required Severity Severity { get; init; }
    public required string Title { get; init; }
    public required string Cause { get; init; }
    public required string Fix { get; init; }
    public string? Location { get; init; }
    public string? Reference { get; init; }
}
