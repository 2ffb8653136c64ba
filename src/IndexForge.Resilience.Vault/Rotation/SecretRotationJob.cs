using System.Globalization;
using System.Security.Cryptography;
using IndexForge.Resilience.Vault.Client;

namespace IndexForge.Resilience.Vault.Rotation;

/// <summary>
/// The plan's rotation job: write a new version holding a freshly generated credential, stamp the key's
/// custom_metadata with rotation_date (UTC now) and next_rotation (+30 days), then verify that every replica
/// reports the new version within a bound. A failure (Vault sealed or unreachable, a lost check-and-set race, a
/// replica that never catches up) comes back as a failed <see cref="RotationResult"/> and raises the alert; it is
/// never swallowed. The credential never leaves this class except into Vault.
/// </summary>
public sealed class SecretRotationJob
{
    private readonly VaultClient _client;
    private readonly SecretRotationJobOptions _options;
    private readonly Func<RotationFailure, CancellationToken, Task>? _alert;
    private readonly TimeProvider _time;

    /// <param name="alert">Raised for every failed rotation, like the plan's alert_rotation_failure(path, error).</param>
    public SecretRotationJob(VaultClient client, SecretRotationJobOptions options, Func<RotationFailure, CancellationToken, Task>? alert = null, TimeProvider? time = null)
    {
        OptionsValidation.ThrowIfInvalid(options);
        _client = client;
        _options = options;
        _alert = alert;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// A random credential, base64url without padding. Drawn from the OS CSPRNG on purpose, not from the run's
    /// seeded Random: a credential that a seed can replay is not a credential.
    /// </summary>
    public static string GenerateCredential(int bytes) => Base64Url(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>Rotates once; with <paramref name="replicaVersions"/> (each replica's current version, keyed by replica id) also waits for every replica to report the new version.</summary>
    public async Task<RotationResult> RotateAsync(Func<CancellationToken, Task<IReadOnlyDictionary<string, int>>>? replicaVersions = null, CancellationToken cancellationToken = default)
    {
        var started = _time.GetUtcNow();
        var result = new RotationResult { Path = _options.Path, Succeeded = false, Stage = RotationStage.ReadCurrent, StartedAt = started };
        try
        {
            KvMetadata? metadata;
            try
            {
                metadata = await _client.ReadMetadataAsync(_options.Path, cancellationToken).ConfigureAwait(false);
            }
            catch (VaultNotFoundException)
            {
                metadata = null;
            }
            var current = metadata?.CurrentVersion ?? 0;
            result = result with { PreviousVersion = current, Stage = RotationStage.WriteSecret };

            var written = await _client.WriteSecretAsync(
                _options.Path,
                new Dictionary<string, string> { [_options.Field] = GenerateCredential(_options.CredentialBytes) },
                _options.CheckAndSet ? current : null,
                cancellationToken).ConfigureAwait(false);
            var writtenAt = _time.GetUtcNow();
            var next = writtenAt + _options.RotationPeriod;
            result = result with { NewVersion = written.Version, RotationDate = writtenAt, NextRotation = next, Stage = RotationStage.WriteMetadata };

            var custom = new Dictionary<string, string>(metadata?.CustomMetadata ?? new Dictionary<string, string>(), StringComparer.Ordinal)
            {
                [RotationJobConstants.RotationDateKey] = Iso8601(writtenAt),
                [RotationJobConstants.NextRotationKey] = Iso8601(next),
            };
            await _client.WriteMetadataAsync(_options.Path, new KvMetadataUpdate { CustomMetadata = custom }, cancellationToken).ConfigureAwait(false);

            if (replicaVersions is null) return result with { Succeeded = true, Stage = RotationStage.Completed };
            result = result with { Stage = RotationStage.Verify };
            return await VerifyAsync(result, written.Version, writtenAt, replicaVersions, cancellationToken).ConfigureAwait(false);
        }
        catch (VaultException e)
        {
            return await FailAsync(result, $"{e.GetType().Name}: {e.Message}", e, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Destroys the version before the current one (revoking the old credential before the overlap ends).</summary>
    public async Task<RevocationResult> RevokePreviousAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var metadata = await _client.ReadMetadataAsync(_options.Path, cancellationToken).ConfigureAwait(false);
            var previous = metadata.CurrentVersion - 1;
            if (!metadata.Versions.TryGetValue(previous, out var version) || version.Destroyed)
                return new RevocationResult(_options.Path, false, null, metadata.CurrentVersion, $"no live version before v{metadata.CurrentVersion}");
            await _client.DestroyVersionsAsync(_options.Path, [previous], cancellationToken).ConfigureAwait(false);
            return new RevocationResult(_options.Path, true, previous, metadata.CurrentVersion, null);
        }
        catch (VaultException e)
        {
            return new RevocationResult(_options.Path, false, null, null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private async Task<RotationResult> VerifyAsync(RotationResult result, int version, DateTimeOffset writtenAt, Func<CancellationToken, Task<IReadOnlyDictionary<string, int>>> probe, CancellationToken cancellationToken)
    {
        var deadline = writtenAt + _options.VerifyWithin;
        IReadOnlyDictionary<string, int> seen = new Dictionary<string, int>();
        string? probeError = null;
        while (true)
        {
            try
            {
                seen = await probe(cancellationToken).ConfigureAwait(false);
                probeError = null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A replica that cannot be asked has not confirmed; keep asking until the bound.
                probeError = $"{e.GetType().Name}: {e.Message}";
            }
            var lagging = seen.Where(r => r.Value < version).Select(r => r.Key).Order(StringComparer.Ordinal).ToList();
            var now = _time.GetUtcNow();
            if (seen.Count > 0 && lagging.Count == 0 && probeError is null)
                return result with { Succeeded = true, Verified = true, Stage = RotationStage.Completed, ReplicaVersions = seen, AllReplicasAfter = now - writtenAt };
            if (now >= deadline)
            {
                result = result with { ReplicaVersions = seen, LaggingReplicas = lagging };
                var why = probeError ?? (seen.Count == 0
                    ? "no replica reported a version"
                    : $"{lagging.Count} of {seen.Count} replicas still below v{version} after {_options.VerifyWithin.TotalSeconds:0.###} s: {string.Join(", ", lagging.Select(r => $"{r}=v{seen[r]}"))}");
                return await FailAsync(result, "verification failed: " + why, null, cancellationToken).ConfigureAwait(false);
            }
            await Task.Delay(_options.VerifyPollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<RotationResult> FailAsync(RotationResult result, string error, Exception? exception, CancellationToken cancellationToken)
    {
        result = result with { Succeeded = false, Error = error };
        if (_alert is null) return result;
        try
        {
            await _alert(new RotationFailure(result.Path, result.Stage, error, exception), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return result with { AlertError = $"{e.GetType().Name}: {e.Message}" };
        }
        return result;
    }

    private static string Iso8601(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
