using System.Text.Json;

namespace IndexForge.Resilience.Vault.Client;

/// <summary>Version-specific metadata (the "metadata" of a KV v2 read, or one entry of a key's "versions").</summary>
public sealed record KvVersionMetadata(
    int Version,
    DateTimeOffset CreatedTime,
    DateTimeOffset? DeletionTime,
    bool Destroyed,
    IReadOnlyDictionary<string, string>? CustomMetadata);

/// <summary>
/// A KV v2 secret version as read. Its data are secret: <see cref="ToString"/> names the fields, never the values.
/// </summary>
public sealed class KvSecret
{
    public KvSecret(string path, IReadOnlyDictionary<string, JsonElement> data, KvVersionMetadata metadata)
    {
        Path = path;
        Data = data;
        Metadata = metadata;
    }

    public string Path { get; }
    public IReadOnlyDictionary<string, JsonElement> Data { get; }
    public KvVersionMetadata Metadata { get; }
    public int Version => Metadata.Version;

    /// <summary>The string value of <paramref name="field"/>, or null when missing or not a string.</summary>
    public string? GetString(string field) =>
        Data.TryGetValue(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public override string ToString() => $"KvSecret({Path} v{Version}, fields: {string.Join(",", Data.Keys)})";
}

/// <summary>What a KV v2 write answered: the new version's metadata.</summary>
public sealed record KvWriteResult(int Version, DateTimeOffset CreatedTime, DateTimeOffset? DeletionTime, bool Destroyed, IReadOnlyDictionary<string, string>? CustomMetadata);

/// <summary>GET secret/metadata/:path.</summary>
public sealed record KvMetadata(
    int CurrentVersion,
    int OldestVersion,
    int MaxVersions,
    bool CasRequired,
    string DeleteVersionAfter,
    DateTimeOffset CreatedTime,
    DateTimeOffset UpdatedTime,
    IReadOnlyDictionary<string, string>? CustomMetadata,
    IReadOnlyDictionary<int, KvVersionMetadata> Versions);

/// <summary>POST secret/metadata/:path; unset members are left as they are.</summary>
public sealed record KvMetadataUpdate
{
    public int? MaxVersions { get; init; }
    public bool? CasRequired { get; init; }
    /// <summary>A Go duration, e.g. "3h25m19s"; "0s" disables.</summary>
    public string? DeleteVersionAfter { get; init; }
    /// <summary>Replaces the whole custom_metadata map when set.</summary>
    public IReadOnlyDictionary<string, string>? CustomMetadata { get; init; }
}

/// <summary>GET/POST secret/config.</summary>
public sealed record KvConfig(int MaxVersions, bool CasRequired, string DeleteVersionAfter);

/// <summary>sys/health: the status code (200, 429, 472, 473, 501, 503 or an override) and the parsed body.</summary>
public sealed record VaultHealth(
    int StatusCode,
    bool Initialized,
    bool Sealed,
    bool Standby,
    bool PerformanceStandby,
    string ReplicationPerformanceMode,
    string ReplicationDrMode,
    DateTimeOffset ServerTime,
    string Version,
    string? ClusterName,
    string? ClusterId);

/// <summary>The query parameters of sys/health; unset ones are not sent.</summary>
public sealed record VaultHealthQuery
{
    public bool? StandbyOk { get; init; }
    public bool? PerfStandbyOk { get; init; }
    public int? ActiveCode { get; init; }
    public int? StandbyCode { get; init; }
    public int? DrSecondaryCode { get; init; }
    public int? PerformanceStandbyCode { get; init; }
    public int? SealedCode { get; init; }
    public int? UninitCode { get; init; }
}

/// <summary>sys/seal-status (also the answer of sys/unseal): t is <see cref="Threshold"/>, n is <see cref="Shares"/>.</summary>
public sealed record VaultSealStatus(
    string Type,
    bool Initialized,
    bool Sealed,
    int Threshold,
    int Shares,
    int Progress,
    string Nonce,
    string Version,
    string? ClusterName,
    string? ClusterId,
    string? StorageType);

/// <summary>auth/token/lookup-self without the token itself (Vault returns it as "id"; this client drops it).</summary>
public sealed record VaultTokenInfo(
    string Accessor,
    IReadOnlyList<string> Policies,
    string DisplayName,
    string Path,
    TimeSpan Ttl,
    DateTimeOffset? ExpireTime,
    bool Orphan,
    string Type);
