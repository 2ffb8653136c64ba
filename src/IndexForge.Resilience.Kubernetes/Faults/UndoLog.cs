using IndexForge.Resilience.Core.Faults;

namespace IndexForge.Resilience.Kubernetes.Faults;

/// <summary>
/// The undo of every change an injection made, recorded right after the change succeeded. A failed
/// injection unwinds what it already did; a revert unwinds everything — newest first, each step once,
/// so reverting twice (window end, then Ctrl-C) is harmless and nothing is restored that was not changed.
/// </summary>
public sealed class UndoLog
{
    private readonly Stack<(string What, Func<CancellationToken, Task> Undo)> _steps = new();
    private readonly Lock _gate = new();

    public void Add(string what, Func<CancellationToken, Task> undo)
    {
        lock (_gate) _steps.Push((what, undo));
    }

    public int Count
    {
        get { lock (_gate) return _steps.Count; }
    }

    /// <summary>Runs every undo; failures do not stop the others and are reported together.</summary>
    public async Task UndoAllAsync(CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        Exception? first = null;
        while (true)
        {
            (string What, Func<CancellationToken, Task> Undo) step;
            lock (_gate)
            {
                if (!_steps.TryPop(out step)) break;
            }
            try
            {
                await step.Undo(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{step.What}: {e.Message}");
                first ??= e;
            }
        }
        if (failures.Count > 0)
            throw new FaultInjectionException("could not restore: " + string.Join("; ", failures), first);
    }
}

/// <summary>A fault in effect on a cluster; its revert is its <see cref="UndoLog"/>.</summary>
public sealed class KubeActiveFault(IReadOnlyDictionary<string, string> details, UndoLog undo, Action? onReverted = null) : IActiveFault
{
    private int _reverted;

    public IReadOnlyDictionary<string, string> Details { get; } = details;

    public async Task RevertAsync(CancellationToken cancellationToken)
    {
        // A second revert finds an empty log; the event is only emitted by the first.
        await undo.UndoAllAsync(cancellationToken).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _reverted, 1) == 0) onReverted?.Invoke();
    }
}
