using System.Security.Cryptography;
using System.Text.Json;
using IndexForge.Resilience.Vault.Server.Storage;

namespace IndexForge.Resilience.Vault.Server.Seal;

/// <summary>The <c>core/seal-config</c> entry (outside the barrier: it holds no secret).</summary>
public sealed record SealConfig(string Type, int SecretShares, int SecretThreshold);

public sealed record SealProgress(bool Sealed, int Threshold, int Shares, int Progress, string Nonce);

/// <summary>
/// Shamir seal: the barrier key is split into unseal key shares at initialisation; unsealing collects shares
/// until the threshold is reached, recombines them and opens the barrier. Wrong shares reset the attempt.
/// </summary>
public sealed class SealState
{
    private const string SealConfigKey = "core/seal-config";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly FileStorage _storage;
    private readonly SecurityBarrier _barrier;
    private readonly Lock _gate = new();
    private readonly List<byte[]> _parts = [];
    private string _nonce = "";

    public SealState(FileStorage storage, SecurityBarrier barrier)
    {
        _storage = storage;
        _barrier = barrier;
    }

    public SealConfig? Config => _storage.Get(SealConfigKey) is { } bytes ? JsonSerializer.Deserialize<SealConfig>(bytes, Json) : null;

    public bool IsInitialized => Config is not null && _barrier.IsInitialized;

    public bool IsSealed => _barrier.IsSealed;

    /// <summary>Generates the barrier key and splits it; returns the shares (the barrier key itself when there is one share).</summary>
    public IReadOnlyList<byte[]> Initialize(int shares, int threshold)
    {
        lock (_gate)
        {
            if (IsInitialized) throw new InvalidOperationException("Vault is already initialized");
            var key = RandomNumberGenerator.GetBytes(SecurityBarrier.KeyLength);
            try
            {
                var parts = shares == 1 ? [key.ToArray()] : Shamir.Split(key, shares, threshold);
                _barrier.Initialize(key);
                _storage.Put(SealConfigKey, JsonSerializer.SerializeToUtf8Bytes(new SealConfig("shamir", shares, threshold), Json));
                return parts;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }
    }

    /// <summary>Opens the barrier directly with recombined key material (used right after initialisation).</summary>
    public void UnsealWith(IReadOnlyList<byte[]> shares)
    {
        foreach (var share in shares)
        {
            if (!IsSealed) return;
            Submit(share);
        }
    }

    /// <summary>Adds one share; a duplicate is ignored (as in Vault). Throws <see cref="BarrierInvalidKeyException"/> when the threshold is reached with wrong shares.</summary>
    public SealProgress Submit(byte[] share)
    {
        lock (_gate)
        {
            var config = Config ?? throw new InvalidOperationException("Vault is not initialized");
            if (!IsSealed) return Progress(config);
            if (_parts.Count == 0) _nonce = Guid.NewGuid().ToString();
            if (!_parts.Any(p => CryptographicOperations.FixedTimeEquals(p, share))) _parts.Add(share.ToArray());
            if (_parts.Count < config.SecretThreshold) return Progress(config);

            byte[]? key = null;
            try
            {
                key = config.SecretThreshold == 1 ? _parts[0].ToArray() : Shamir.Combine(_parts);
                _barrier.Unseal(key);
            }
            catch (ArgumentException)
            {
                throw new BarrierInvalidKeyException();
            }
            finally
            {
                if (key is not null) CryptographicOperations.ZeroMemory(key);
                ResetLocked();
            }
            return Progress(config);
        }
    }

    public void Reset()
    {
        lock (_gate) ResetLocked();
    }

    public void Seal()
    {
        lock (_gate)
        {
            ResetLocked();
            _barrier.Seal();
        }
    }

    public SealProgress Progress()
    {
        lock (_gate) return Config is { } config ? Progress(config) : new SealProgress(true, 0, 0, 0, "");
    }

    private SealProgress Progress(SealConfig config) =>
        new(IsSealed, config.SecretThreshold, config.SecretShares, IsSealed ? _parts.Count : 0, IsSealed ? _nonce : "");

    private void ResetLocked()
    {
        foreach (var part in _parts) CryptographicOperations.ZeroMemory(part);
        _parts.Clear();
        _nonce = "";
    }
}
