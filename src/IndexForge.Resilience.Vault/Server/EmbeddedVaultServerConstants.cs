namespace IndexForge.Resilience.Vault.Server;

public static class EmbeddedVaultServerConstants
{
    public const string DefaultListenAddress = "127.0.0.1";
    public const string DefaultKvMount = "secret";
    /// <summary>As `vault operator init` defaults: 5 shares, 3 to unseal.</summary>
    public const int DefaultKeyShares = 5;
    public const int DefaultKeyThreshold = 3;
    public static readonly TimeSpan CertificateLifetime = TimeSpan.FromDays(7);
    /// <summary>How long a stop waits for requests in flight before cutting connections.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);
    /// <summary>Attempts to re-bind the same port on restart (a just-closed listener can take a moment to release it).</summary>
    public const int RebindAttempts = 20;
    public static readonly TimeSpan RebindDelay = TimeSpan.FromMilliseconds(50);
}
