using IndexForge.Resilience.Core.Alerts;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Metrics;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Core.Scenarios;
using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Core.Assertions;

/// <summary>Evaluates one assertion type over a finished run. Looked up by <see cref="Type"/>.</summary>
public interface IAssertionEvaluator
{
    string Type { get; }
    AssertionResult Evaluate(AssertionOptions options, AssertionContext context);
}

/// <summary>Everything an assertion may look at; all of it already measured, nothing to fetch.</summary>
public sealed record AssertionContext
{
    public required Scenario Scenario { get; init; }
    public required LoadRun Load { get; init; }
    public required IReadOnlyList<FaultRecord> Faults { get; init; }
    public required IReadOnlyList<TimelineEvent> Events { get; init; }
    /// <summary>Metric scrapes taken during the run, with their offsets from load start.</summary>
    public required IReadOnlyList<(TimeSpan At, MetricSet Metrics)> MetricSeries { get; init; }
    public required TargetEnvironment Environment { get; init; }
    /// <summary>Alerts polled each second during the run; null when the target has no alert source.</summary>
    public AlertTimeline? Alerts { get; init; }
    /// <summary>Absolute path of the mesh configuration the run used, for evaluators that read its settings; null in synthetic contexts.</summary>
    public string? MeshConfigDirectory { get; init; }

    /// <summary>The evidence window of an assertion: its phase, its fault window, or the whole load.</summary>
    public (string Name, TimeSpan Start, TimeSpan End) EvidenceWindow(AssertionOptions options)
    {
        if (options.Phase is { } phase)
        {
            var span = Load.Phases.FirstOrDefault(p => p.Name == phase)
                ?? throw new InvalidOperationException($"phase '{phase}' did not run");
            return ($"phase {phase}", span.Start, span.End);
        }
        if (options.Window is { } fault)
        {
            var f = Faults.FirstOrDefault(x => x.Name == fault)
                ?? throw new InvalidOperationException($"fault '{fault}' did not run");
            var end = f.End ?? Load.Phases.LastOrDefault()?.End ?? f.Start;
            return ($"fault {fault}", f.Start, end);
        }
        var last = Load.Phases.Count > 0 ? Load.Phases[^1].End : TimeSpan.Zero;
        return ("whole run", TimeSpan.Zero, last);
    }
}
