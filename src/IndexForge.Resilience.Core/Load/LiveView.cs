using System.Collections.Concurrent;

namespace IndexForge.Resilience.Core.Load;

/// <summary>
/// Calls the observer off the hot path: events are queued and delivered, in order, by the
/// collector's loop (so a slow display never delays the dispatcher or a phase start). A throwing
/// observer (a progress display bug) is switched off rather than allowed to end the run it watches.
/// </summary>
internal sealed class LiveView(ILoadObserver? observer)
{
    private readonly ConcurrentQueue<Action<ILoadObserver>> _pending = new();
    private ILoadObserver? _observer = observer;

    public void PhaseStarted(string phase, TimeSpan at)
    {
        if (_observer is not null) _pending.Enqueue(o => o.OnPhaseStarted(phase, at));
    }

    public void Windows(IEnumerable<LoadWindow> windows)
    {
        if (_observer is null) return;
        foreach (var window in windows)
        {
            var stats = window.ToWindowStats();
            _pending.Enqueue(o => o.OnWindow(stats));
        }
    }

    /// <summary>Delivers what is queued; called from the collector only.</summary>
    public void Deliver()
    {
        while (_pending.TryDequeue(out var action))
        {
            if (_observer is not { } o) continue;
            try
            {
                action(o);
            }
            catch (Exception)
            {
                _observer = null;
            }
        }
    }
}
