namespace IndexForge.Resilience.Core.Faults.UnauthorizedSourceProbe;

public static class UnauthorizedSourceProbeConstants
{
    public const string DefaultSource = "spiffe://cluster.local/ns/intruder/sa/default";
}
