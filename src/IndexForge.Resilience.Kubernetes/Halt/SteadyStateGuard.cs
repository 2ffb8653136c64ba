using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Kubernetes.Halt;

/// <summary>
/// <c>--halt-on</c>: watches each load window and cancels <see cref="Token"/> once a condition held
/// for its duration, as Gremlin's and Chaos Toolkit's halt conditions do. The runner feeds it
/// windows (<see cref="Observe"/>, or wrap its observer in <see cref="HaltingRunObserver"/>) and
/// links <see cref="Token"/> into the run's cancellation; the faults are then reverted as on Ctrl-C.
/// Windows without completed requests (pauses) neither breach nor clear a condition.
/// </summary>
public sealed class SteadyStateGuard : IDisposable
{
    private readonly IReadOnlyList<HaltCondition> _conditions;
    private readonly TimeSpan?[] _breachSince;
    private readonly CancellationTokenSource _halt = new();
    private readonly Lock _gate = new();

    public SteadyStateGuard(IReadOnlyList<HaltCondition> conditions)
    {
        _conditions = conditions;
        _breachSince = new TimeSpan?[conditions.Count];
    }

    public static SteadyStateGuard Parse(string haltOn) => new(HaltCondition.ParseAll(haltOn));

    public CancellationToken Token => _halt.Token;

    public bool Halted => _halt.IsCancellationRequested;

    /// <summary>Why the run was halted, for the report and the console; null while it was not.</summary>
    public string? Reason { get; private set; }

    /// <summary>Feeds one window; returns true when this window halted the run.</summary>
    public bool Observe(WindowStats window)
    {
        lock (_gate)
        {
            if (Halted) return false;
            for (var i = 0; i < _conditions.Count; i++)
            {
                var c = _conditions[i];
                if (c.ValueOf(window) is not { } value) continue;
                if (!c.Breached(value))
                {
                    _breachSince[i] = null;
                    continue;
                }
                var since = _breachSince[i] ??= window.Start;
                var held = window.Start + window.Length - since;
                if (held >= c.For)
                {
                    Reason = $"halted: {c.Text} held for {held.TotalSeconds:0.#}s (value {value:0.###} in window {window.Index} at {window.Start.TotalSeconds:0.#}s)";
                    _halt.Cancel();
                    return true;
                }
            }
            return false;
        }
    }

    public void Dispose() => _halt.Dispose();
}
