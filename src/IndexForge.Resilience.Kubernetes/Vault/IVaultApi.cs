namespace IndexForge.Resilience.Kubernetes.Vault;

/// <summary>
/// The few Vault HTTP API calls the Kubernetes targets make (bootstrap, seal, rotation). Kept small
/// and our own so it can be backed by the project's typed Vault client once that is ready.
/// </summary>
public interface IVaultApi
{
    Task<VaultSealStatus> SealStatusAsync(CancellationToken ct);
    Task<VaultInitResult> InitAsync(int shares, int threshold, CancellationToken ct);
    Task<VaultSealStatus> UnsealAsync(string key, CancellationToken ct);
    Task SealAsync(string token, CancellationToken ct);
    Task EnableKv2Async(string token, string mount, CancellationToken ct);
    Task WritePolicyAsync(string token, string name, string hcl, CancellationToken ct);
    /// <summary>Creates a token with <paramref name="policies"/>; returns the token (a secret: never log it).</summary>
    Task<string> CreateTokenAsync(string token, IReadOnlyList<string> policies, TimeSpan ttl, CancellationToken ct);
    /// <summary>Writes a new KV v2 version; returns its number.</summary>
    Task<int> WriteSecretAsync(string token, VaultKvPath path, IReadOnlyDictionary<string, string> data, CancellationToken ct);
    Task<VaultSecret?> ReadSecretAsync(string token, VaultKvPath path, CancellationToken ct);
    Task WriteCustomMetadataAsync(string token, VaultKvPath path, IReadOnlyDictionary<string, string> customMetadata, CancellationToken ct);
    Task DestroyVersionsAsync(string token, VaultKvPath path, IReadOnlyList<int> versions, CancellationToken ct);
    /// <summary>Deletes a KV v2 key with every version (the run's own path on an existing Vault, at tear-down).</summary>
    Task DeleteMetadataAsync(string token, VaultKvPath path, CancellationToken ct);
    Task DeletePolicyAsync(string token, string name, CancellationToken ct);
}

public sealed record VaultSealStatus(bool Initialized, bool Sealed, int Threshold, int Progress);

/// <summary>Unseal keys and the root token: kept in memory only, never written, never logged.</summary>
public sealed class VaultInitResult(IReadOnlyList<string> keys, string rootToken)
{
    public IReadOnlyList<string> Keys { get; } = keys;
    public string RootToken { get; } = rootToken;
    public override string ToString() => $"VaultInitResult({Keys.Count} keys, root token redacted)";
}

public sealed record VaultSecret(int Version, IReadOnlyDictionary<string, string> Data);

/// <summary>A KV v2 secret path split into its mount and key: "secret/data/indexforge/search-api" → ("secret", "indexforge/search-api").</summary>
public sealed record VaultKvPath(string Mount, string Key)
{
    public static VaultKvPath Parse(string path)
    {
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        // The data/ segment is how the KV v2 API spells reads and writes; people often leave it out.
        if (parts.Length >= 3 && parts[1] is "data" or "metadata") return new(parts[0], string.Join('/', parts[2..]));
        if (parts.Length >= 2) return new(parts[0], string.Join('/', parts[1..]));
        throw new ArgumentException($"'{path}' is not a KV path like secret/data/app/name");
    }

    public string DataPath => $"{Mount}/data/{Key}";
    public string MetadataPath => $"{Mount}/metadata/{Key}";
    public string DestroyPath => $"{Mount}/destroy/{Key}";
    public override string ToString() => DataPath;
}

public sealed class VaultApiException(string message, int statusCode) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
