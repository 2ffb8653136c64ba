using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Core.Running;

namespace IndexForge.Resilience.Cli.Progress;

/// <summary>
/// Progress for CI logs and redirected output: one plain line per event (scenario, phase, fault) and a status
/// line at most every <see cref="ProgressOptions.Interval"/> per scenario, then one line per scenario at the end.
/// No ANSI, no carriage returns, nothing that a log viewer shows as garbage.
/// </summary>
public sealed class PlainProgressObserver : IRunObserver
{
    private readonly TextWriter _out;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly ProgressState _state;
    private readonly object _gate = new();
    private long _lastStatus;

    public PlainProgressObserver(TextWriter output, TimeProvider? time = null, ProgressOptions? options = null)
    {
        _out = output;
        _time = time ?? TimeProvider.System;
        _interval = (options ?? new ProgressOptions()).Interval;
        _state = new ProgressState(_time);
    }

    public void RunStarted(string runId, int scenarioCount) => Locked(() =>
    {
        _state.RunStarted(runId, scenarioCount);
        Line($"run {runId}: {scenarioCount} scenario(s)");
    });

    public void ScenarioStarted(string scenario, string? variant, TimeSpan plannedDuration) => Locked(() =>
    {
        var p = _state.ScenarioStarted(scenario, variant, plannedDuration);
        _lastStatus = _time.GetTimestamp();
        Line($"[{p.Label}] started ({_state.Finished.Count + 1}/{Math.Max(_state.ScenarioCount, _state.Finished.Count + 1)}), planned {ProgressText.Clock(plannedDuration)}");
    });

    public void PhaseStarted(string scenario, string phase, TimeSpan at) => Locked(() =>
    {
        var p = _state.For(scenario);
        p.Phase = phase;
        Line($"[{p.Label}] {ProgressText.Clock(at)} phase {phase}");
    });

    public void Window(string scenario, WindowStats window) => Locked(() =>
    {
        var p = _state.For(scenario);
        p.Add(window);
        if (_time.GetElapsedTime(_lastStatus) < _interval) return;
        _lastStatus = _time.GetTimestamp();
        Line(Status(p));
    });

    public void FaultInjected(string scenario, FaultRecord fault) => Locked(() =>
    {
        var p = _state.For(scenario);
        p.ActiveFaults.Add(fault.Name);
        Line($"[{p.Label}] {ProgressText.Clock(fault.Start)} fault {fault.Name} ({fault.Type}) injected on {fault.Subject}"
            + (fault.Error is null ? "" : $": {fault.Error}"));
    });

    public void FaultReverted(string scenario, FaultRecord fault) => Locked(() =>
    {
        var p = _state.For(scenario);
        p.ActiveFaults.Remove(fault.Name);
        Line($"[{p.Label}] {ProgressText.Clock(fault.End ?? p.Elapsed)} fault {fault.Name} reverted" + (fault.Error is null ? "" : $": {fault.Error}"));
    });

    public void ScenarioFinished(ScenarioResult result) => Locked(() =>
    {
        _state.ScenarioFinished(result);
        Line($"[{result.Name}] finished: {ProgressText.Verdict(result.Verdict)}");
    });

    public void RunFinished(RunResult result) => Locked(() =>
    {
        Line("");
        foreach (var s in result.Scenarios) Line(ProgressText.ResultLine(s));
        Line(ProgressText.RunLine(result));
    });

    public void Message(string text) => Locked(() => Line(text));

    private static string Status(ScenarioProgress p) =>
        $"[{p.Label}] {ProgressText.Clock(p.Elapsed)}"
        + (p.Planned > TimeSpan.Zero ? $"/{ProgressText.Clock(p.Planned)}" : "")
        + $" phase={p.Phase} rate={ProgressText.Rate(p.Rate)} errors={p.Errors} p95={ProgressText.Ms(p.P95)}"
        + (p.ActiveFaults.Count > 0 ? $" faults={string.Join(',', p.ActiveFaults)}" : "");

    private void Line(string text)
    {
        _out.WriteLine(text);
        _out.Flush();
    }

    private void Locked(Action action)
    {
        lock (_gate) action();
    }
}
