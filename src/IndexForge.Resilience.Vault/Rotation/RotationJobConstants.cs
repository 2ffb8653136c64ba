namespace IndexForge.Resilience.Vault.Rotation;

public static class RotationJobConstants
{
    public const string RotationDateKey = "rotation_date";
    public const string NextRotationKey = "next_rotation";
    /// <summary>The plan rotates every 30 days: next_rotation = rotation_date + 30 days.</summary>
    public static readonly TimeSpan DefaultRotationPeriod = TimeSpan.FromDays(30);
    /// <summary>Bytes of randomness in a generated credential (256 bits).</summary>
    public const int DefaultCredentialBytes = 32;
    public static readonly TimeSpan DefaultVerifyWithin = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultVerifyPollInterval = TimeSpan.FromMilliseconds(100);
}
