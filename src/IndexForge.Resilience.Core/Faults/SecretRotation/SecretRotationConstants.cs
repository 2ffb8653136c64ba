namespace IndexForge.Resilience.Core.Faults.SecretRotation;

public static class SecretRotationConstants
{
    public static readonly TimeSpan DefaultVerifyWithin = TimeSpan.FromSeconds(5);
}
