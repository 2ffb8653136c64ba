namespace IndexForge.Resilience.Core.Load;

/// <summary>Defaults and fixed rules of the load engine (docs/load-engine.md explains each).</summary>
public static class LoadConstants
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);
    public const string DefaultHttpVersion = "1.1";
    public const int DefaultMaxInFlight = 2_000;
    public const int DefaultConnections = 64;
    public const string DefaultPath = "/search?q=vault";
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(1);

    /// <summary>Response header naming the replica that answered.</summary>
    public const string ReplicaHeader = "x-indexforge-replica";
    /// <summary>Response header naming the region of the replica that answered.</summary>
    public const string RegionHeader = "x-indexforge-region";
    /// <summary>Envoy sets it on a 503 its connection pool refused (response flag UO).</summary>
    public const string EnvoyOverloadedHeader = "x-envoy-overloaded";
    /// <summary>Request header carrying <see cref="LoadPlan.Credential"/>.</summary>
    public const string CredentialHeader = "x-indexforge-api-key";

    /// <summary>
    /// Saturation rule, part 1: a run whose scheduler lag p99 (all open-model sends) exceeds this is
    /// marked saturated; its latencies then include the generator's own delay.
    /// </summary>
    public static readonly TimeSpan SaturationLagP99 = TimeSpan.FromMilliseconds(5);
    /// <summary>
    /// Saturation rule, part 2: a run with at least this many windows whose own lag p99 exceeds
    /// <see cref="SaturationLagP99"/> is saturated even when the run-wide p99 is not (a long run
    /// saturated only during a burst, e.g. the fault phase).
    /// </summary>
    public const int SaturationWindows = 3;

    /// <summary>A window still waiting for responses is closed anyway this long after timeout + its end.</summary>
    public static readonly TimeSpan WindowCloseGrace = TimeSpan.FromSeconds(1);
    /// <summary>How often request deadlines are checked; a timed-out request ends at most this much late.</summary>
    public static readonly TimeSpan TimeoutSweep = TimeSpan.FromMilliseconds(10);
    /// <summary>How often closed windows are collected and handed to the observer.</summary>
    public static readonly TimeSpan CollectInterval = TimeSpan.FromMilliseconds(20);
    /// <summary>Distinct replica or region names kept per window; more are counted under <see cref="OtherLabel"/>.</summary>
    public const int MaxDistinctLabels = 64;
    public const string OtherLabel = "(other)";

    /// <summary>
    /// Real-time dispatcher: within this distance of the next send it spins (yielding the core to
    /// any runnable thread) instead of sleeping. Thread.Sleep(1) wakes after ~1.1 ms here, and later
    /// on a busy machine; spinning for the last stretch keeps lag p99 under 2 ms at 5k/s.
    /// </summary>
    public static readonly TimeSpan SpinBelow = TimeSpan.FromMilliseconds(1.2);
    /// <summary>Real-time dispatcher: longer waits sleep in one go, waking this early to finish precisely.</summary>
    public static readonly TimeSpan SleepMargin = TimeSpan.FromMilliseconds(2);
}
