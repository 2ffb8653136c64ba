namespace IndexForge.Resilience.Vault.Server.Kv;

/// <summary>Per-version state kept in a key's metadata (version data lives in its own storage entry).</summary>
public sealed class KvVersionState
{
    public DateTimeOffset CreatedTime { get; set; }
    public DateTimeOffset? DeletionTime { get; set; }
    public bool Destroyed { get; set; }
}

/// <summary>A key's metadata entry, as Vault's KeyMetadata.</summary>
public sealed class KvKeyState
{
    public string Key { get; set; } = "";
    public Dictionary<long, KvVersionState> Versions { get; set; } = [];
    public long CurrentVersion { get; set; }
    public long OldestVersion { get; set; }
    public int MaxVersions { get; set; }
    public bool CasRequired { get; set; }
    public TimeSpan DeleteVersionAfter { get; set; }
    public DateTimeOffset CreatedTime { get; set; }
    public DateTimeOffset UpdatedTime { get; set; }
    public Dictionary<string, string>? CustomMetadata { get; set; }
}

/// <summary>One version's data: the JSON text of the "data" object as written.</summary>
public sealed class KvVersionData
{
    public string Data { get; set; } = "{}";
    public DateTimeOffset CreatedTime { get; set; }
}

/// <summary>The mount's config (POST secret/config).</summary>
public sealed class KvMountConfig
{
    public int MaxVersions { get; set; }
    public bool CasRequired { get; set; }
    public TimeSpan DeleteVersionAfter { get; set; }
}

public static class KvConstants
{
    /// <summary>Vault keeps 10 versions when neither the key nor the mount says otherwise.</summary>
    public const int DefaultMaxVersions = 10;
    public const int MaxCustomMetadataKeys = 64;
    public const int MaxCustomMetadataKeyLength = 128;
    public const int MaxCustomMetadataValueLength = 512;
    public const string CasMismatch = "check-and-set parameter did not match the current version";
    public const string CasRequired = "check-and-set parameter required for this call";
}
