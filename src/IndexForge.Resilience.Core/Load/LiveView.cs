namespace IndexForge.Resilience.Core.Load;

/// <summary>
/// Calls the observer off the hot path. A throwing observer (a progress display bug) is switched
/// off rather than allowed to end the load run it only watches.
/// </summary>
internal sealed class LiveView(ILoadObserver? observer)
{
    private ILoadObserver? _observer = observer;

    public void PhaseStarted(string phase, TimeSpan at) => Call(o => o.OnPhaseStarted(phase, at));

    public void Windows(IEnumerable<LoadWindow> windows)
    {
        foreach (var window in windows) Call(o => o.OnWindow(window.ToWindowStats()));
    }

    private void Call(Action<ILoadObserver> action)
    {
        if (_observer is not { } o) return;
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
