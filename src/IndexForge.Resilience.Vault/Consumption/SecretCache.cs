using System.Security.Cryptography;
using System.Text;
using IndexForge.Resilience.Vault.Client;

namespace IndexForge.Resilience.Vault.Consumption;

/// <summary>
/// A replica's credential from Vault: read at start, cached, re-read on an interval, and used to decide which
/// presented credentials are accepted: the current version, and the previous one while the overlap window since
/// the current version was first seen lasts. While Vault is sealed or unreachable it keeps deciding on what it has
/// and reports how stale that is. <see cref="Check"/> is the request path: no lock, no allocation, constant-time
/// comparisons; nothing here logs or prints a credential.
/// </summary>
public sealed class SecretCache : IAsyncDisposable
{
    private readonly VaultClient _client;
    private readonly SecretCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly RefreshLoop _loop;
    private Credentials? _credentials;

    public SecretCache(VaultClient client, SecretCacheOptions options, TimeProvider? time = null)
    {
        OptionsValidation.ThrowIfInvalid(options, options.Problems());
        _client = client;
        _options = options;
        _time = time ?? TimeProvider.System;
        _loop = new RefreshLoop(_time, options.RefreshInterval, RefreshAsync);
    }

    /// <summary>The version whose credential is current (0 before the first successful read).</summary>
    public int CurrentVersion => Volatile.Read(ref _credentials)?.CurrentVersion ?? 0;

    public SecretCacheStatus Status
    {
        get
        {
            var credentials = Volatile.Read(ref _credentials);
            var until = credentials?.PreviousVersion is not null ? credentials.PreviousAcceptedUntil : (DateTimeOffset?)null;
            return _loop.Fill(new SecretCacheStatus
            {
                CurrentVersion = credentials?.CurrentVersion ?? 0,
                PreviousVersion = until > _time.GetUtcNow() ? credentials!.PreviousVersion : null,
                PreviousAcceptedUntil = until > _time.GetUtcNow() ? until : null,
            });
        }
    }

    /// <summary>Reads the secret (it must be readable: a replica does not start without its credential), then refreshes on the interval.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _loop.RunOnceAsync(cancellationToken, rethrow: true).ConfigureAwait(false);
        _loop.Start();
    }

    /// <summary>One refresh now (besides the interval); false when Vault could not be read.</summary>
    public Task<bool> RefreshNowAsync(CancellationToken cancellationToken = default) => _loop.RunOnceAsync(cancellationToken);

    public bool IsAccepted(ReadOnlySpan<char> presented) => Check(presented) != CredentialMatch.Rejected;

    /// <summary>Which version <paramref name="presented"/> matches, if any. Both versions are always compared, so timing tells nothing.</summary>
    public CredentialMatch Check(ReadOnlySpan<char> presented)
    {
        var credentials = Volatile.Read(ref _credentials);
        if (credentials is null || presented.IsEmpty || presented.Length > _options.MaxCredentialLength) return CredentialMatch.Rejected;
        Span<byte> buffer = stackalloc byte[_options.MaxCredentialLength * 3];
        var bytes = buffer[..Encoding.UTF8.GetBytes(presented, buffer)];
        var current = CryptographicOperations.FixedTimeEquals(bytes, credentials.Current);
        var previous = credentials.Previous is { } p && CryptographicOperations.FixedTimeEquals(bytes, p);
        if (current) return CredentialMatch.Current;
        return previous && _time.GetUtcNow() < credentials.PreviousAcceptedUntil ? CredentialMatch.Previous : CredentialMatch.Rejected;
    }

    public ValueTask DisposeAsync() => _loop.DisposeAsync();

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var secret = await _client.ReadSecretAsync(_options.Path, null, cancellationToken).ConfigureAwait(false);
        var value = Field(secret);
        var now = _time.GetUtcNow();
        var known = Volatile.Read(ref _credentials);
        if (known is null)
        {
            // A replica starting mid-rotation: callers may still present the previous version until the overlap
            // since the current one was written has passed, so it accepts that one too (if it is still live).
            var until = secret.Metadata.CreatedTime + _options.Overlap;
            byte[]? previous = null;
            if (_options.Overlap > TimeSpan.Zero && secret.Version > 1 && now < until)
                previous = await ReadVersionAsync(secret.Version - 1, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _credentials, new Credentials(value, secret.Version, previous, previous is null ? null : secret.Version - 1, until));
            return;
        }
        if (secret.Version != known.CurrentVersion)
        {
            Volatile.Write(ref _credentials, new Credentials(value, secret.Version, known.Current, known.CurrentVersion, now + _options.Overlap));
            return;
        }
        // Same version: if the previous one is still in its window, make sure nobody revoked it early.
        if (known.PreviousVersion is { } previousVersion && now < known.PreviousAcceptedUntil
            && await ReadVersionAsync(previousVersion, cancellationToken).ConfigureAwait(false) is null)
        {
            Volatile.Write(ref _credentials, known with { Previous = null, PreviousVersion = null });
        }
    }

    /// <summary>The credential of an older version, or null when it is deleted, destroyed or gone.</summary>
    private async Task<byte[]?> ReadVersionAsync(int version, CancellationToken cancellationToken)
    {
        try
        {
            return Field(await _client.ReadSecretAsync(_options.Path, version, cancellationToken).ConfigureAwait(false));
        }
        catch (VaultNotFoundException)
        {
            return null;
        }
    }

    private byte[] Field(KvSecret secret)
    {
        var text = secret.GetString(_options.Field);
        if (string.IsNullOrEmpty(text)) throw new InvalidDataException($"{secret.Path} v{secret.Version} has no string field \"{_options.Field}\"");
        var bytes = Encoding.UTF8.GetBytes(text);
        if (text.Length > _options.MaxCredentialLength) throw new InvalidDataException($"{secret.Path} v{secret.Version}: field \"{_options.Field}\" is longer than {_options.MaxCredentialLength} characters");
        return bytes;
    }

    /// <summary>An immutable snapshot, swapped whole so the request path never sees half an update.</summary>
    private sealed record Credentials(byte[] Current, int CurrentVersion, byte[]? Previous, int? PreviousVersion, DateTimeOffset PreviousAcceptedUntil)
    {
        public override string ToString() => $"Credentials(v{CurrentVersion}, previous v{PreviousVersion})";
    }
}
