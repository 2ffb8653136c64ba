using IndexForge.Resilience.Vault.Client;

namespace IndexForge.Resilience.Vault.Consumption;

/// <summary>
/// The credential a calling workload presents. It re-reads the secret on an interval but presents a new version
/// only <see cref="CallerCredentialOptions.AdoptAfter"/> after first seeing it, by which time every replica
/// (refreshing at least that often) accepts it; until then it keeps presenting the version the replicas still
/// accept during their overlap. <see cref="Current"/> is the request path: no lock, no allocation.
/// </summary>
public sealed class CallerCredentialSource : IAsyncDisposable
{
    private readonly VaultClient _client;
    private readonly CallerCredentialOptions _options;
    private readonly TimeProvider _time;
    private readonly RefreshLoop _loop;
    private State? _state;

    public CallerCredentialSource(VaultClient client, CallerCredentialOptions options, TimeProvider? time = null)
    {
        OptionsValidation.ThrowIfInvalid(options, options.Problems());
        _client = client;
        _options = options;
        _time = time ?? TimeProvider.System;
        _loop = new RefreshLoop(_time, options.RefreshInterval, RefreshAsync);
    }

    /// <summary>The credential to present now. Never log it.</summary>
    public string Current => Promote().Value;

    public int CurrentVersion => Volatile.Read(ref _state) is null ? 0 : Promote().Version;

    /// <summary>A version seen but not presented yet, and when it will be.</summary>
    public (int Version, DateTimeOffset AdoptAt)? Pending => Volatile.Read(ref _state)?.Pending is { } p ? (p.Version, p.AdoptAt) : null;

    public SecretCacheStatus Status => _loop.Fill(new SecretCacheStatus { CurrentVersion = CurrentVersion });

    /// <summary>Reads the secret (failing if Vault cannot be read), then refreshes on the interval.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _loop.RunOnceAsync(cancellationToken, rethrow: true).ConfigureAwait(false);
        _loop.Start();
    }

    public Task<bool> RefreshNowAsync(CancellationToken cancellationToken = default) => _loop.RunOnceAsync(cancellationToken);

    public ValueTask DisposeAsync() => _loop.DisposeAsync();

    private State Promote()
    {
        var state = Volatile.Read(ref _state) ?? throw new InvalidOperationException("the credential source has not been started");
        if (state.Pending is not { } pending || _time.GetUtcNow() < pending.AdoptAt) return state;
        // The promoted state was built with the pending one, so adopting allocates nothing here.
        Interlocked.CompareExchange(ref _state, pending.Promoted, state);
        return Volatile.Read(ref _state)!;
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var secret = await _client.ReadSecretAsync(_options.Path, null, cancellationToken).ConfigureAwait(false);
        var value = Value(secret);
        var now = _time.GetUtcNow();
        var state = Volatile.Read(ref _state) is null ? null : Promote();
        if (state is null)
        {
            // Starting mid-rotation: until the new version has been out for AdoptAfter (by its creation time), present the previous one.
            var adoptAt = secret.Metadata.CreatedTime + _options.AdoptAfter;
            if (now < adoptAt && secret.Version > 1 && await ReadPreviousAsync(secret.Version - 1, cancellationToken).ConfigureAwait(false) is { } previous)
                Volatile.Write(ref _state, new State(previous, secret.Version - 1, new Upcoming(secret.Version, adoptAt, new State(value, secret.Version, null))));
            else
                Volatile.Write(ref _state, new State(value, secret.Version, null));
            return;
        }
        if (secret.Version == state.Version || secret.Version == state.Pending?.Version) return;
        Volatile.Write(ref _state, state with { Pending = new Upcoming(secret.Version, now + _options.AdoptAfter, new State(value, secret.Version, null)) });
    }

    private async Task<string?> ReadPreviousAsync(int version, CancellationToken cancellationToken)
    {
        try
        {
            return Value(await _client.ReadSecretAsync(_options.Path, version, cancellationToken).ConfigureAwait(false));
        }
        catch (VaultNotFoundException)
        {
            return null;
        }
    }

    private string Value(KvSecret secret)
    {
        var text = secret.GetString(_options.Field);
        if (string.IsNullOrEmpty(text)) throw new InvalidDataException($"{secret.Path} v{secret.Version} has no string field \"{_options.Field}\"");
        return text;
    }

    private sealed record Upcoming(int Version, DateTimeOffset AdoptAt, State Promoted);

    private sealed record State(string Value, int Version, Upcoming? Pending)
    {
        public override string ToString() => $"State(v{Version}, pending v{Pending?.Version})";
    }
}
