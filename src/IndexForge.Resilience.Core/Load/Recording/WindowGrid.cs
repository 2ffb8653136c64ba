namespace IndexForge.Resilience.Core.Load.Recording;

/// <summary>One window of the grid: offsets from the load start, in timestamp units and as TimeSpans.</summary>
internal sealed record WindowInfo(int Index, int PhaseIndex, string Phase, TimeSpan Start, TimeSpan Length, long StartTicks, long EndTicks);

/// <summary>
/// The run's windows, laid out phase by phase: each phase starts a new window, so every window
/// belongs to exactly one phase (the last window of a phase may be shorter).
/// </summary>
internal sealed class WindowGrid
{
    private readonly int[] _phaseFirst;
    private readonly int[] _phaseCount;
    private readonly long _windowTicks;

    public WindowGrid(IReadOnlyList<(PhaseOptions Phase, TimeSpan Start)> schedule, TimeSpan window, Timestamps ts)
    {
        if (window <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(window), "the window must be positive");
        _windowTicks = ts.FromTimeSpan(window);
        _phaseFirst = new int[schedule.Count];
        _phaseCount = new int[schedule.Count];
        var list = new List<WindowInfo>();
        for (var p = 0; p < schedule.Count; p++)
        {
            var (phase, start) = schedule[p];
            _phaseFirst[p] = list.Count;
            var phaseStartTicks = ts.FromTimeSpan(start);
            var phaseEndTicks = ts.FromTimeSpan(start + phase.Length);
            for (var k = 0; ; k++)
            {
                var s = start + window * k;
                if (s >= start + phase.Length) break;
                var e = s + window < start + phase.Length ? s + window : start + phase.Length;
                var sTicks = phaseStartTicks + _windowTicks * k;
                var eTicks = Math.Min(sTicks + _windowTicks, phaseEndTicks);
                list.Add(new WindowInfo(list.Count, p, phase.Name, s, e - s, sTicks, eTicks));
            }
            _phaseCount[p] = list.Count - _phaseFirst[p];
        }
        Windows = list;
    }

    public IReadOnlyList<WindowInfo> Windows { get; }

    public int Count => Windows.Count;

    /// <summary>Window of a moment <paramref name="offsetTicks"/> after its phase's start (clamped into the phase).</summary>
    public int IndexOf(int phase, long offsetTicks)
    {
        var k = offsetTicks <= 0 ? 0 : offsetTicks / _windowTicks;
        var last = _phaseCount[phase] - 1;
        return _phaseFirst[phase] + (int)Math.Min(k, last);
    }

    public int FirstOf(int phase) => _phaseFirst[phase];

    public int CountOf(int phase) => _phaseCount[phase];
}
