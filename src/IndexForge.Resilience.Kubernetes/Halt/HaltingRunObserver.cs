using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Core.Running;

namespace IndexForge.Resilience.Kubernetes.Halt;

/// <summary>Passes everything to <paramref name="inner"/> and feeds each window to the guard; says so when it halts.</summary>
public sealed class HaltingRunObserver(IRunObserver inner, SteadyStateGuard guard) : IRunObserver
{
    public void RunStarted(string runId, int scenarioCount) => inner.RunStarted(runId, scenarioCount);
    public void ScenarioStarted(string scenario, string? variant, TimeSpan plannedDuration) => inner.ScenarioStarted(scenario, variant, plannedDuration);
    public void PhaseStarted(string scenario, string phase, TimeSpan at) => inner.PhaseStarted(scenario, phase, at);

    public void Window(string scenario, WindowStats window)
    {
        inner.Window(scenario, window);
        if (guard.Observe(window)) inner.Message($"{scenario}: {guard.Reason}");
    }

    public void FaultInjected(string scenario, FaultRecord fault) => inner.FaultInjected(scenario, fault);
    public void FaultReverted(string scenario, FaultRecord fault) => inner.FaultReverted(scenario, fault);
    public void ScenarioFinished(ScenarioResult result) => inner.ScenarioFinished(result);
    public void RunFinished(RunResult result) => inner.RunFinished(result);
    public void Message(string text) => inner.Message(text);
}
