using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.SecretRotation;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Kubernetes.Kube;
using IndexForge.Resilience.Kubernetes.Vault;

namespace IndexForge.Resilience.Kubernetes.Faults.SecretRotation;

/// <summary>
/// The plan's rotation job through the Vault API: a new KV v2 version with fresh values for every
/// key, custom_metadata rotation_date and next_rotation (+30 days); then it checks that every
/// replica serves the new version (GET /control/secret) within VerifyWithin, and destroys the
/// previous version after RevokePreviousAfter when set. Values are never logged or reported.
/// </summary>
public sealed class SecretRotationInjector(KubeCluster cluster) : KubeInjector<SecretRotationOptions>(cluster)
{
    public const string DefaultKey = "apiKey";
    public const string SecretControlPath = "control/secret";

    public override string Type => FaultTypes.SecretRotation;

    protected override async Task InjectCoreAsync(SecretRotationOptions options, FaultContext context, UndoLog undo, Dictionary<string, string> details, CancellationToken ct)
    {
        var vault = Cluster.Vault ?? throw new FaultInjectionException("this target runs without a Vault of its own");
        Cluster.Guard.EnsureOwned(vault.Namespace, "write a new secret version");
        var path = options.Path is { Length: > 0 } p ? VaultKvPath.Parse(p) : vault.SecretPath;
        var token = vault.AccessToken;
        int previous, version;
        await using (var session = await vault.OpenAsync(Cluster.Channels, ct).ConfigureAwait(false))
        {
            var current = await session.Api.ReadSecretAsync(token, path, ct).ConfigureAwait(false);
            previous = current?.Version ?? 0;
            var keys = current is { Data.Count: > 0 } ? current.Data.Keys.ToList() : [DefaultKey];
            // Credentials come from the system RNG, not the scenario seed: a replayable secret is no secret.
            var data = keys.ToDictionary(k => k, _ => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)), StringComparer.Ordinal);
            version = await session.Api.WriteSecretAsync(token, path, data, ct).ConfigureAwait(false);
            var now = context.Time.GetUtcNow();
            await session.Api.WriteCustomMetadataAsync(token, path, new Dictionary<string, string>
            {
                ["rotation_date"] = now.ToString("O", CultureInfo.InvariantCulture),
                ["next_rotation"] = (now + VaultConstants.RotationInterval).ToString("O", CultureInfo.InvariantCulture),
            }, ct).ConfigureAwait(false);
        }
        context.Emit(new TargetEvent(context.Time.GetUtcNow(), TargetEventKinds.SecretRotated, path.ToString(), $"version {previous} -> {version}"));
        details["path"] = path.ToString();
        details["previousVersion"] = previous.ToString(CultureInfo.InvariantCulture);
        details["version"] = version.ToString(CultureInfo.InvariantCulture);

        var (picked, missing) = await VerifyPickedUpAsync(version, options.VerifyWithin, context, ct).ConfigureAwait(false);
        details["pickedUp"] = string.Join(",", picked);
        details["notPickedUp"] = string.Join(",", missing);
        details["verified"] = (missing.Count == 0).ToString().ToLowerInvariant();

        if (options.RevokePreviousAfter is { } after && previous > 0)
        {
            await Task.Delay(after, context.Time, ct).ConfigureAwait(false);
            await using var session = await vault.OpenAsync(Cluster.Channels, ct).ConfigureAwait(false);
            await session.Api.DestroyVersionsAsync(token, path, [previous], ct).ConfigureAwait(false);
            details["destroyedVersion"] = previous.ToString(CultureInfo.InvariantCulture);
        }
    }

    private async Task<(List<string> Picked, List<string> Missing)> VerifyPickedUpAsync(
        int version, TimeSpan within, FaultContext context, CancellationToken ct)
    {
        var started = context.Time.GetUtcNow();
        var pods = await Cluster.RunningPodsAsync($"{KubeLabels.App}={KubeLabels.AppValue}", ct).ConfigureAwait(false);
        var pending = pods.ToDictionary(p => p.Metadata.Labels.TryGetValue(KubeLabels.Replica, out var r) ? r : p.Metadata.Name, p => p.Metadata.Name);
        var picked = new List<string>();
        while (pending.Count > 0)
        {
            foreach (var (replica, pod) in pending.ToList())
            {
                if (await ServedVersionAsync(pod, ct).ConfigureAwait(false) >= version)
                {
                    var after = context.Time.GetUtcNow() - started;
                    picked.Add($"{replica}:{after.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s");
                    pending.Remove(replica);
                }
            }
            if (pending.Count == 0 || context.Time.GetUtcNow() - started >= within) break;
            await Task.Delay(Cluster.Timings.Poll, context.Time, ct).ConfigureAwait(false);
        }
        return (picked, pending.Keys.Order(StringComparer.Ordinal).ToList());
    }

    private async Task<int> ServedVersionAsync(string pod, CancellationToken ct)
    {
        try
        {
            await using var channel = await Cluster.Channels.OpenAsync(Cluster.Namespace, pod, KubeConstants.SampleServicePort, ct).ConfigureAwait(false);
            using var http = new HttpClient { BaseAddress = channel.LocalAddress, Timeout = TimeSpan.FromSeconds(5) };
            var body = await http.GetStringAsync(SecretControlPath, ct).ConfigureAwait(false);
            return JsonNode.Parse(body)?["version"]?.GetValue<int>() ?? -1;
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or InvalidOperationException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return -1; // not answering yet counts as not picked up
        }
    }
}
