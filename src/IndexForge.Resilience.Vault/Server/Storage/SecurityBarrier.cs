using System.Security.Cryptography;
using System.Text;

namespace IndexForge.Resilience.Vault.Server.Storage;

public sealed class BarrierSealedException() : InvalidOperationException("Vault is sealed");

public sealed class BarrierInvalidKeyException() : InvalidOperationException("Unseal failed, invalid key");

/// <summary>
/// The security barrier in front of <see cref="FileStorage"/>: every entry is sealed with AES-256-GCM under the
/// barrier key (the key the unseal shares recombine to), bound to its storage key as associated data. While sealed
/// the key is not in memory and nothing can be read or written. Only <c>core/seal-config</c> sits outside.
/// </summary>
public sealed class SecurityBarrier
{
    public const int KeyLength = 32;
    private const byte FormatVersion = 1;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const string KeyringCheckKey = "core/keyring";
    private static readonly byte[] KeyringCanary = "indexforge-embedded-vault-keyring-v1"u8.ToArray();

    private readonly FileStorage _storage;
    // AesGcm instances are not thread-safe, so each operation makes its own from the key; the lock keeps
    // Seal from zeroing the key under an operation that is still using it.
    private readonly ReaderWriterLockSlim _gate = new(LockRecursionPolicy.NoRecursion);
    private byte[]? _key;

    private readonly Metrics.VaultMetrics? _metrics;

    public SecurityBarrier(FileStorage storage, Metrics.VaultMetrics? metrics = null)
    {
        _storage = storage;
        _metrics = metrics;
    }

    public bool IsSealed => Volatile.Read(ref _key) is null;

    /// <summary>True once <see cref="Initialize"/> wrote the keyring check entry.</summary>
    public bool IsInitialized => _storage.Get(KeyringCheckKey) is not null;

    /// <summary>Writes the keyring check under a fresh key; the barrier stays sealed.</summary>
    public void Initialize(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength) throw new ArgumentException("the barrier key is 32 bytes", nameof(key));
        using var aes = new AesGcm(key, TagLength);
        _storage.Put(KeyringCheckKey, Encrypt(aes, KeyringCheckKey, KeyringCanary));
    }

    /// <summary>Opens the barrier if <paramref name="key"/> decrypts the keyring check; otherwise throws <see cref="BarrierInvalidKeyException"/>.</summary>
    public void Unseal(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength) throw new BarrierInvalidKeyException();
        var check = _storage.Get(KeyringCheckKey) ?? throw new InvalidOperationException("Vault is not initialized");
        using (var aes = new AesGcm(key, TagLength))
        {
            try
            {
                var canary = Decrypt(aes, KeyringCheckKey, check);
                if (!CryptographicOperations.FixedTimeEquals(canary, KeyringCanary)) throw new BarrierInvalidKeyException();
            }
            catch (AuthenticationTagMismatchException)
            {
                throw new BarrierInvalidKeyException();
            }
        }
        _gate.EnterWriteLock();
        try
        {
            if (_key is not null) CryptographicOperations.ZeroMemory(_key);
            _key = key.ToArray();
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }

    public void Seal()
    {
        _gate.EnterWriteLock();
        try
        {
            if (_key is not null) CryptographicOperations.ZeroMemory(_key);
            _key = null;
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }

    public byte[]? Get(string key) => WithKey(_metrics?.BarrierGet, aes => _storage.Get(key) is { } sealedBytes ? Decrypt(aes, key, sealedBytes) : null);

    public string? GetString(string key) => Get(key) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    public void Put(string key, byte[] value) => WithKey<object?>(_metrics?.BarrierPut, aes =>
    {
        _storage.Put(key, Encrypt(aes, key, value));
        return null;
    });

    public void PutString(string key, string value) => Put(key, Encoding.UTF8.GetBytes(value));

    public void Delete(string key) => WithKey<object?>(_metrics?.BarrierDelete, _ =>
    {
        _storage.Delete(key);
        return null;
    });

    public IReadOnlyList<string> List(string prefix) => WithKey(_metrics?.BarrierList, _ => _storage.List(prefix));

    private T WithKey<T>(Metrics.TimerSummary? timer, Func<AesGcm, T> operation)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        _gate.EnterReadLock();
        try
        {
            if (_key is null) throw new BarrierSealedException();
            using var aes = new AesGcm(_key, TagLength);
            return operation(aes);
        }
        finally
        {
            _gate.ExitReadLock();
            timer?.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    private static byte[] Encrypt(AesGcm aes, string key, ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[1 + NonceLength + plaintext.Length + TagLength];
        output[0] = FormatVersion;
        var nonce = output.AsSpan(1, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        aes.Encrypt(nonce, plaintext, output.AsSpan(1 + NonceLength, plaintext.Length), output.AsSpan(1 + NonceLength + plaintext.Length), Encoding.UTF8.GetBytes(key));
        return output;
    }

    private static byte[] Decrypt(AesGcm aes, string key, byte[] sealedBytes)
    {
        if (sealedBytes.Length < 1 + NonceLength + TagLength || sealedBytes[0] != FormatVersion)
            throw new InvalidDataException($"storage entry {key} is not a barrier entry");
        var length = sealedBytes.Length - 1 - NonceLength - TagLength;
        var plaintext = new byte[length];
        aes.Decrypt(sealedBytes.AsSpan(1, NonceLength), sealedBytes.AsSpan(1 + NonceLength, length), sealedBytes.AsSpan(1 + NonceLength + length), plaintext, Encoding.UTF8.GetBytes(key));
        return plaintext;
    }
}
