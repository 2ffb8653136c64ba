using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IndexForge.Resilience.Vault.Client;
using IndexForge.Resilience.Vault.Server.Storage;

namespace IndexForge.Resilience.Vault.Server.Auth;

/// <summary>What the server knows about a token. The token value itself is never stored: entries are keyed by a salted HMAC of it.</summary>
public sealed record TokenEntry
{
    public required string Accessor { get; init; }
    public required IReadOnlyList<string> Policies { get; init; }
    public required string DisplayName { get; init; }
    public required DateTimeOffset CreationTime { get; init; }
    public required string Path { get; init; }
    /// <summary>Zero means the token never expires (root tokens).</summary>
    public TimeSpan Ttl { get; init; }
    public DateTimeOffset? ExpireTime => Ttl > TimeSpan.Zero ? CreationTime + Ttl : null;
}

/// <summary>Tokens and ACL policies, kept behind the barrier so they survive restarts and are unreadable while sealed.</summary>
public sealed class TokenStore
{
    private const string SaltKey = "sys/token/salt";
    private const string TokenPrefix = "sys/token/id/";
    private const string PolicyPrefix = "sys/policy/";
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SecurityBarrier _barrier;
    private readonly TimeProvider _time;

    public TokenStore(SecurityBarrier barrier, TimeProvider time)
    {
        _barrier = barrier;
        _time = time;
    }

    /// <summary>Creates a token carrying <paramref name="policies"/> (plus "default" unless it is a root token).</summary>
    public VaultToken Create(IReadOnlyList<string> policies, string displayName, string path, TimeSpan ttl = default)
    {
        foreach (var name in policies)
            if (name != VaultPolicy.RootName && name != VaultPolicy.DefaultName && GetPolicy(name) is null)
                throw new ArgumentException($"policy \"{name}\" does not exist", nameof(policies));
        var isRoot = policies.Contains(VaultPolicy.RootName);
        var effective = isRoot ? [VaultPolicy.RootName] : policies.Append(VaultPolicy.DefaultName).Distinct().Order(StringComparer.Ordinal).ToList();
        var token = new VaultToken("hvs." + RandomNumberGenerator.GetString(Base62, 24));
        var entry = new TokenEntry
        {
            Accessor = RandomNumberGenerator.GetString(Base62, 24),
            Policies = effective,
            DisplayName = displayName,
            CreationTime = _time.GetUtcNow(),
            Path = path,
            Ttl = ttl,
        };
        _barrier.Put(TokenPrefix + Hash(token.Reveal()), JsonSerializer.SerializeToUtf8Bytes(entry, Json));
        return token;
    }

    /// <summary>The entry of a live token, or null for an unknown, revoked or expired one.</summary>
    public TokenEntry? Lookup(string token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        var bytes = _barrier.Get(TokenPrefix + Hash(token));
        if (bytes is null) return null;
        var entry = JsonSerializer.Deserialize<TokenEntry>(bytes, Json);
        if (entry?.ExpireTime is { } expires && expires <= _time.GetUtcNow()) return null;
        return entry;
    }

    public void Revoke(string token) => _barrier.Delete(TokenPrefix + Hash(token));

    public void PutPolicy(VaultPolicy policy)
    {
        if (policy.Name is VaultPolicy.RootName) throw new ArgumentException("cannot update the root policy", nameof(policy));
        if (string.IsNullOrWhiteSpace(policy.Name) || policy.Name.Contains('/')) throw new ArgumentException("invalid policy name", nameof(policy));
        _barrier.Put(PolicyPrefix + policy.Name, JsonSerializer.SerializeToUtf8Bytes(policy, Json));
    }

    public void DeletePolicy(string name) => _barrier.Delete(PolicyPrefix + name);

    public VaultPolicy? GetPolicy(string name)
    {
        if (name == VaultPolicy.DefaultName) return VaultPolicy.Default;
        if (name == VaultPolicy.RootName) return new VaultPolicy(VaultPolicy.RootName, []);
        if (name.Length == 0 || name.Contains('/')) return null;
        var bytes = _barrier.Get(PolicyPrefix + name);
        return bytes is null ? null : JsonSerializer.Deserialize<VaultPolicy>(bytes, Json);
    }

    public Acl AclFor(TokenEntry entry) => new(entry.Policies.Select(GetPolicy).OfType<VaultPolicy>());

    /// <summary>Creates the salt once, at initialisation (a salt made lazily could race and orphan tokens).</summary>
    public void Initialize()
    {
        if (_barrier.Get(SaltKey) is null) _barrier.Put(SaltKey, RandomNumberGenerator.GetBytes(32));
    }

    private string Hash(string token)
    {
        var salt = _barrier.Get(SaltKey) ?? throw new InvalidOperationException("the token store is not initialized");
        return Convert.ToHexStringLower(HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(token)));
    }
}
