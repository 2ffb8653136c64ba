namespace IndexForge.Resilience.Core.Load.Pause;

/// <summary>No load for <see cref="Duration"/> (e.g. while a fault settles).</summary>
public sealed record PauseOptions : PhaseOptions
{
    [PositiveDuration] public TimeSpan Duration { get; init; }
    public override TimeSpan Length => Duration;
}
