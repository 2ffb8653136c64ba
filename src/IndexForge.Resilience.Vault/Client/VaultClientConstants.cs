namespace IndexForge.Resilience.Vault.Client;

public static class VaultClientConstants
{
    public const string TokenHeader = "X-Vault-Token";
    public const string NamespaceHeader = "X-Vault-Namespace";
    public const string DefaultKvMount = "secret";
    /// <summary>Per attempt; Vault answers KV reads in milliseconds, so a slow attempt is better retried.</summary>
    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(5);
    public const int DefaultMaxRetries = 3;
    public static readonly TimeSpan DefaultRetryBaseDelay = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan DefaultRetryMaxDelay = TimeSpan.FromSeconds(2);
    public const string SealedError = "Vault is sealed";
    public const string CasMismatchError = "check-and-set parameter did not match the current version";
    public const string CasRequiredError = "check-and-set parameter required for this call";
}
