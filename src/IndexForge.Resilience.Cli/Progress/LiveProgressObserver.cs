using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Core.Running;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace IndexForge.Resilience.Cli.Progress;

/// <summary>
/// Progress on an interactive terminal: a Spectre.Console live table (scenario, phase, elapsed, current rate,
/// errors, p95, active faults) redrawn every <see cref="ProgressOptions.Refresh"/>, recent events under it, and
/// one coloured line per scenario when the run ends. Events only update state under a lock; the redraw runs on
/// its own task, so the runner never waits for the terminal.
/// </summary>
public sealed class LiveProgressObserver : IRunObserver, IDisposable
{
    private readonly IAnsiConsole _console;
    private readonly TimeSpan _refresh;
    private readonly ProgressState _state;
    private readonly Queue<string> _log = new();
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public LiveProgressObserver(IAnsiConsole console, TimeProvider? time = null, ProgressOptions? options = null)
    {
        _console = console;
        _refresh = (options ?? new ProgressOptions()).Refresh;
        _state = new ProgressState(time ?? TimeProvider.System);
    }

    public void RunStarted(string runId, int scenarioCount)
    {
        lock (_gate) _state.RunStarted(runId, scenarioCount);
        EnsureLive();
    }

    // Started by the first event, so a runner that skips RunStarted still gets a display.
    private void EnsureLive()
    {
        if (_stop.IsCancellationRequested) return;
        lock (_gate) _loop ??= Task.Run(() => _console.Live(Render()).AutoClear(false).StartAsync(async ctx =>
        {
            while (true)
            {
                ctx.UpdateTarget(Render());
                ctx.Refresh();
                if (_stop.IsCancellationRequested) return;
                try { await Task.Delay(_refresh, _stop.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { /* one last redraw with the final state */ }
            }
        }));
    }

    public void ScenarioStarted(string scenario, string? variant, TimeSpan plannedDuration)
    {
        lock (_gate) Log($"{_state.ScenarioStarted(scenario, variant, plannedDuration).Label}: started");
        EnsureLive();
    }

    public void PhaseStarted(string scenario, string phase, TimeSpan at)
    {
        lock (_gate)
        {
            var p = _state.For(scenario);
            p.Phase = phase;
            Log($"{p.Label}: {ProgressText.Clock(at)} phase {phase}");
        }
    }

    public void Window(string scenario, WindowStats window)
    {
        lock (_gate) _state.For(scenario).Add(window);
    }

    public void FaultInjected(string scenario, FaultRecord fault)
    {
        lock (_gate)
        {
            var p = _state.For(scenario);
            p.ActiveFaults.Add(fault.Name);
            Log($"{p.Label}: {ProgressText.Clock(fault.Start)} fault {fault.Name} injected on {fault.Subject}" + (fault.Error is null ? "" : $": {fault.Error}"));
        }
    }

    public void FaultReverted(string scenario, FaultRecord fault)
    {
        lock (_gate)
        {
            var p = _state.For(scenario);
            p.ActiveFaults.Remove(fault.Name);
            Log($"{p.Label}: fault {fault.Name} reverted");
        }
    }

    public void ScenarioFinished(ScenarioResult result)
    {
        lock (_gate)
        {
            _state.ScenarioFinished(result);
            Log($"{result.Name}: {ProgressText.Verdict(result.Verdict)}");
        }
    }

    public void RunFinished(RunResult result)
    {
        StopLive();
        _console.WriteLine();
        foreach (var s in result.Scenarios) _console.MarkupLine($"[{Color(s.Verdict)}]{Markup.Escape(ProgressText.ResultLine(s))}[/]");
        _console.MarkupLine($"[bold {(result.Aborted ? "purple" : Color(result.Verdict))}]{Markup.Escape(ProgressText.RunLine(result))}[/]");
    }

    public void Message(string text)
    {
        lock (_gate) Log(text);
    }

    public void Dispose()
    {
        StopLive();
        _stop.Dispose();
    }

    private void StopLive()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        try { _loop?.Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { /* a broken terminal must not hide the run's result lines */ }
    }

    private IRenderable Render()
    {
        lock (_gate)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .Title(_state.RunId is null ? "IndexForge resilience" : $"IndexForge resilience · run {Markup.Escape(_state.RunId)}");
            foreach (var column in new[] { "Scenario", "Phase", "Elapsed", "Rate", "Errors", "p95", "Faults / verdict" }) table.AddColumn(column);
            foreach (var s in _state.Finished)
                table.AddRow(T(s.Name), T("done"), T(ProgressText.Clock(s.Duration)), T(ProgressText.Rate(s.Load.AchievedRate)),
                    T(s.Load.Failed.ToString(System.Globalization.CultureInfo.InvariantCulture)), T(ProgressText.Ms(s.Load.Latency.Count > 0 ? s.Load.Latency.P95 : null)),
                    new Markup($"[{Color(s.Verdict)}]{ProgressText.Verdict(s.Verdict)}[/]"));
            if (_state.Current is { } c)
                table.AddRow(T(c.Label), T(c.Phase), T(ProgressText.Clock(c.Elapsed) + (c.Planned > TimeSpan.Zero ? "/" + ProgressText.Clock(c.Planned) : "")),
                    T(ProgressText.Rate(c.Rate)), T(c.Errors.ToString(System.Globalization.CultureInfo.InvariantCulture)), T(ProgressText.Ms(c.P95)),
                    c.ActiveFaults.Count > 0 ? new Markup($"[yellow]{Markup.Escape(string.Join(", ", c.ActiveFaults))}[/]") : T(""));
            if (_state.ScenarioCount > 0)
                table.Caption($"{_state.Finished.Count}/{_state.ScenarioCount} scenario(s) done");
            return _log.Count == 0 ? table : new Rows(table, new Text(string.Join('\n', _log), new Style(Spectre.Console.Color.Grey)));
        }
    }

    private void Log(string line)
    {
        _log.Enqueue(line);
        while (_log.Count > ProgressConstants.LiveLogLines) _log.Dequeue();
    }

    private static Text T(string text) => new(text);

    private static string Color(Verdict v) => v switch
    {
        Verdict.Pass => "green",
        Verdict.Fail => "red",
        Verdict.Skipped => "grey",
        _ => "darkorange",
    };
}
