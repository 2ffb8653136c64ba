using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Core.Running;

/// <summary>
/// Live view of a run for progress displays (a Spectre.Console live table on a terminal, plain
/// periodic lines in CI logs). Called off the load engine's hot path: at most once per window per scenario.
/// </summary>
public interface IRunObserver
{
    void RunStarted(string runId, int scenarioCount);
    /// <summary><paramref name="variant"/> is the negative-control name, or null for the scenario itself.</summary>
    void ScenarioStarted(string scenario, string? variant, TimeSpan plannedDuration);
    void PhaseStarted(string scenario, string phase, TimeSpan at);
    void Window(string scenario, WindowStats window);
    void FaultInjected(string scenario, FaultRecord fault);
    void FaultReverted(string scenario, FaultRecord fault);
    void ScenarioFinished(ScenarioResult result);
    void RunFinished(RunResult result);
    void Message(string text);
}

/// <summary>An observer that ignores everything (tests, --quiet).</summary>
public sealed class NullRunObserver : IRunObserver
{
    public static readonly NullRunObserver Instance = new();
    public void RunStarted(string runId, int scenarioCount) { }
    public void ScenarioStarted(string scenario, string? variant, TimeSpan plannedDuration) { }
    public void PhaseStarted(string scenario, string phase, TimeSpan at) { }
    public void Window(string scenario, WindowStats window) { }
    public void FaultInjected(string scenario, FaultRecord fault) { }
    public void FaultReverted(string scenario, FaultRecord fault) { }
    public void ScenarioFinished(ScenarioResult result) { }
    public void RunFinished(RunResult result) { }
    public void Message(string text) { }
}
