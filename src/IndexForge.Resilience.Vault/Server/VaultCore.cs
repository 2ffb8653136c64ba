using System.Security.Cryptography;
using System.Text.Json;
using IndexForge.Resilience.Vault.Client;
using IndexForge.Resilience.Vault.Server.Auth;
using IndexForge.Resilience.Vault.Server.Kv;
using IndexForge.Resilience.Vault.Server.Metrics;
using IndexForge.Resilience.Vault.Server.Seal;
using IndexForge.Resilience.Vault.Server.Storage;

namespace IndexForge.Resilience.Vault.Server;

/// <summary>What a node reports in sys/health; a single embedded node serves requests in every role.</summary>
public enum VaultNodeRole
{
    Active,
    Standby,
    PerformanceStandby,
}

public sealed record ClusterInfo(string Name, string Id);

/// <summary>
/// The Vault core of one storage directory: barrier, Shamir seal, token store and the KV v2 mount. It outlives the
/// HTTP listener, so stopping and starting the listener keeps state; a new core over the same directory is a
/// restarted process (sealed until unsealed).
/// </summary>
public sealed class VaultCore
{
    private const string ClusterKey = "core/cluster/local/info";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private ClusterInfo? _cluster;

    public VaultCore(string storageDirectory, TimeProvider time, string kvMount)
    {
        Time = time;
        Metrics = new VaultMetrics();
        Storage = new FileStorage(storageDirectory);
        Barrier = new SecurityBarrier(Storage, Metrics);
        Seal = new SealState(Storage, Barrier);
        Tokens = new TokenStore(Barrier, time);
        Kv = new KvBackend(Barrier, time, kvMount);
    }

    public TimeProvider Time { get; }
    public VaultMetrics Metrics { get; }
    public FileStorage Storage { get; }
    public SecurityBarrier Barrier { get; }
    public SealState Seal { get; }
    public TokenStore Tokens { get; }
    public KvBackend Kv { get; }
    public VaultNodeRole Role { get; set; } = VaultNodeRole.Active;

    public bool IsInitialized => Seal.IsInitialized;
    public bool IsSealed => Seal.IsSealed;

    /// <summary>The cluster name and id (known only while unsealed, as in Vault).</summary>
    public ClusterInfo? Cluster
    {
        get
        {
            if (IsSealed) return null;
            _cluster ??= Barrier.Get(ClusterKey) is { } bytes ? JsonSerializer.Deserialize<ClusterInfo>(bytes, Json) : null;
            if (_cluster is not null) LastKnownClusterName = _cluster.Name;
            return _cluster;
        }
    }

    /// <summary>The cluster name last seen unsealed; keeps the metrics' cluster label stable while sealed.</summary>
    public string? LastKnownClusterName { get; set; }

    /// <summary>sys/init: generates the unseal key shares and the root token, and leaves Vault sealed, as Vault does.</summary>
    public VaultInitResponse Initialize(int shares, int threshold, string? clusterName)
    {
        var parts = Seal.Initialize(shares, threshold);
        Seal.UnsealWith(parts);
        try
        {
            Tokens.Initialize();
            var id = Guid.NewGuid().ToString();
            var name = clusterName ?? "vault-cluster-" + id[..8];
            Barrier.Put(ClusterKey, JsonSerializer.SerializeToUtf8Bytes(new ClusterInfo(name, id), Json));
            var root = Tokens.Create([VaultPolicy.RootName], "root", "auth/token/root");
            return new VaultInitResponse(
                parts.Select(p => Convert.ToHexStringLower(p)).ToList(),
                parts.Select(Convert.ToBase64String).ToList(),
                root);
        }
        finally
        {
            SealNow();
            foreach (var part in parts) CryptographicOperations.ZeroMemory(part);
        }
    }

    public void SealNow()
    {
        Seal.Seal();
        _cluster = null;
    }

    /// <summary>Decodes an unseal key the way Vault's handler does: hex when its length fits a share, base64 otherwise.</summary>
    public static byte[]? DecodeUnsealKey(string key)
    {
        const int min = 16, max = SecurityBarrier.KeyLength + 1;
        try
        {
            var hex = Convert.FromHexString(key);
            if (hex.Length is >= min and <= max) return hex;
        }
        catch (FormatException)
        {
        }
        try
        {
            return Convert.FromBase64String(key);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
