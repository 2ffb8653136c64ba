namespace IndexForge.Resilience.Core.Faults.WeakCipherProbe;

public static class WeakCipherProbeConstants
{
    public const string DefaultCipher = "AES128-SHA";
}
