using IndexForge.Resilience.Bench.Anchors;
using IndexForge.Resilience.Bench.Targets;

namespace IndexForge.Resilience.Bench;

/// <summary>
/// One part of the bench (throughput, rate accuracy, memory; later e.g. mesh overhead). A section
/// prints its own table and returns the goals it checked.
/// </summary>
public interface IBenchSection
{
    /// <summary>Key for <see cref="BenchOptions.Sections"/>, kebab-case.</summary>
    string Name { get; }

    string Title { get; }

    Task<IReadOnlyList<BenchGoal>> RunAsync(BenchContext context, CancellationToken cancellationToken);
}

/// <summary>What every section shares within one bench run: the same target, tools and options.</summary>
public sealed class BenchContext
{
    public required BenchOptions Options { get; init; }
    public required IBenchTarget Target { get; init; }
    public required TextWriter Output { get; init; }
    public required ToolLocator Tools { get; init; }
    /// <summary>Length of each throughput and rate run after quick mode is applied.</summary>
    public TimeSpan RunDuration => Options.Quick && Options.Duration > BenchConstants.QuickDuration ? BenchConstants.QuickDuration : Options.Duration;
}

/// <summary>A goal and how the run did against it. <see cref="Met"/> is null when it could not be checked.</summary>
public sealed record BenchGoal(string Section, string Goal, bool? Met, string Observed)
{
    public string Verdict => Met switch { true => "met", false => "MISSED", null => "not checked" };
}
