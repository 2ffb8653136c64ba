namespace IndexForge.Resilience.Core.Faults.ConnectionFlood;

public static class ConnectionFloodConstants
{
    public const int DefaultConnections = 400;
    public static readonly TimeSpan DefaultHold = TimeSpan.FromMilliseconds(500);
}
