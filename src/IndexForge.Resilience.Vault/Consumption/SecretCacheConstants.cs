namespace IndexForge.Resilience.Vault.Consumption;

public static class SecretCacheConstants
{
    /// <summary>The field of the KV v2 secret that holds the credential.</summary>
    public const string DefaultField = "api-key";
    /// <summary>Replicas re-read the secret this often (Vault Agent's static secret render interval, shortened for rotations under test).</summary>
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromSeconds(2);
    /// <summary>How long the previous version stays accepted after a replica sees a new one; must cover the callers' adoption delay.</summary>
    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromSeconds(30);
    /// <summary>Longer presented credentials are rejected without comparing (keeps the comparison on the stack).</summary>
    public const int DefaultMaxCredentialLength = 256;

    /// <summary>Callers re-read the secret this often.</summary>
    public static readonly TimeSpan DefaultCallerRefreshInterval = TimeSpan.FromSeconds(1);
    /// <summary>A caller presents a new version only this long after it first saw it; must be at least the replicas' refresh bound.</summary>
    public static readonly TimeSpan DefaultAdoptAfter = TimeSpan.FromSeconds(5);
}
