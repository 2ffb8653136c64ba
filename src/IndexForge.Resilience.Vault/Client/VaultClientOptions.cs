using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography.X509Certificates;

namespace IndexForge.Resilience.Vault.Client;

/// <summary>Where and how to reach Vault. The token is passed separately (<see cref="VaultToken"/>) so options can be logged.</summary>
public sealed record VaultClientOptions
{
    /// <summary>Vault's address, e.g. https://vault.indexforge.local:8200 (VAULT_ADDR).</summary>
    [Required] public Uri? Address { get; init; }

    /// <summary>Sent as X-Vault-Namespace when set (Vault Enterprise namespaces).</summary>
    public string? Namespace { get; init; }

    [Required] public string KvMount { get; init; } = VaultClientConstants.DefaultKvMount;

    /// <summary>Trust only this root for the server's certificate (VAULT_CACERT); unset uses the system store.</summary>
    public X509Certificate2? CaCertificate { get; init; }

    /// <summary>Presented when the listener requires client certificates (VAULT_CLIENT_CERT).</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan AttemptTimeout { get; init; } = VaultClientConstants.DefaultAttemptTimeout;

    /// <summary>Retries of a transient failure (connection error, timeout, 500/502/504, 503 other than sealed); 0 disables.</summary>
    [Range(0, 20)] public int MaxRetries { get; init; } = VaultClientConstants.DefaultMaxRetries;

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; init; } = VaultClientConstants.DefaultRetryBaseDelay;

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryMaxDelay { get; init; } = VaultClientConstants.DefaultRetryMaxDelay;

    public IEnumerable<string> Problems()
    {
        if (Address is { } a && a.Scheme is not ("http" or "https")) yield return $"Address: scheme must be http or https, not {a.Scheme}";
        if (Address is { IsAbsoluteUri: false }) yield return "Address: must be absolute";
        if (KvMount.Trim('/').Length == 0) yield return "KvMount: must not be empty";
        if (RetryMaxDelay < RetryBaseDelay) yield return "RetryMaxDelay: must be at least RetryBaseDelay";
    }
}
