namespace IndexForge.Resilience.Core.Faults.TlsVersionProbe;

public static class TlsVersionProbeConstants
{
    public const string DefaultVersion = "1.1";
}
