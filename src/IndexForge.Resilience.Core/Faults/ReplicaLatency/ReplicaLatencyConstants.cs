namespace IndexForge.Resilience.Core.Faults.ReplicaLatency;

public static class ReplicaLatencyConstants
{
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromMilliseconds(200);
    public const double DefaultRate = 1.0;
}
