namespace IndexForge.Resilience.Core.Load.Recording;

/// <summary>Exact conversions between <see cref="TimeProvider"/> timestamps, TimeSpans and microseconds.</summary>
internal readonly struct Timestamps
{
    public Timestamps(TimeProvider time)
    {
        Frequency = time.TimestampFrequency;
        _microsPerTick = 1_000_000.0 / Frequency;
    }

    private readonly double _microsPerTick;

    public long Frequency { get; }

    public long FromTimeSpan(TimeSpan span) =>
        Frequency == TimeSpan.TicksPerSecond ? span.Ticks : (long)((Int128)span.Ticks * Frequency / TimeSpan.TicksPerSecond);

    public TimeSpan ToTimeSpan(long delta) =>
        Frequency == TimeSpan.TicksPerSecond ? TimeSpan.FromTicks(delta) : TimeSpan.FromTicks((long)((Int128)delta * TimeSpan.TicksPerSecond / Frequency));

    /// <summary>Microseconds in a timestamp delta, clamped to what a load histogram can hold.</summary>
    public long Micros(long delta)
    {
        if (delta <= 0) return 0;
        var micros = (long)(delta * _microsPerTick);
        return micros > LoadHistograms.HighestMicros ? LoadHistograms.HighestMicros : micros;
    }
}
