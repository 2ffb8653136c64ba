namespace IndexForge.Resilience.Core.Faults.NetworkLatency;

public static class NetworkLatencyConstants
{
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromMilliseconds(50);
}
