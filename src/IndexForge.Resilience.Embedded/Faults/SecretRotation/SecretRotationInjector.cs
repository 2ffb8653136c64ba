using System.Collections.Concurrent;
using System.Globalization;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.SecretRotation;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Vault.Rotation;

namespace IndexForge.Resilience.Embedded.Faults.SecretRotation;

/// <summary>
/// Runs the plan's rotation job against the embedded Vault (new version, rotation_date/next_rotation),
/// verifies every replica's secret cache reports the new version within VerifyWithin, and — when
/// RevokePreviousAfter is set — destroys the previous version that long afterwards in the background,
/// bounded by the environment. A failed rotation is recorded in the details, not thrown: it is the
/// evidence a scenario asserts on. The credential itself never appears anywhere here.
/// </summary>
internal sealed class SecretRotationInjector(EmbeddedRuntime runtime) : IFaultInjector
{
    public string Type => FaultTypes.SecretRotation;

    public async Task<IActiveFault> InjectAsync(FaultOptions options, FaultContext context, CancellationToken cancellationToken)
    {
        var o = (SecretRotationOptions)options;
        var secrets = runtime.RequireSecrets(Type);
        var path = o.Path is { Length: > 0 } p ? p : secrets.Path;
        var job = new SecretRotationJob(secrets.Admin, new SecretRotationJobOptions { Path = path, VerifyWithin = o.VerifyWithin }, time: context.Time);
        var result = await job.RotateAsync(secrets.ReplicaVersionsAsync, cancellationToken);

        // Concurrent: the delayed revocation adds to it while the report may already be reading it.
        var details = new ConcurrentDictionary<string, string>(StringComparer.Ordinal)
        {
            ["path"] = path,
            ["previousVersion"] = Version(result.PreviousVersion),
            ["newVersion"] = Version(result.NewVersion),
            ["verified"] = result.Verified ? "true" : "false",
            ["laggingReplicas"] = string.Join(",", result.LaggingReplicas),
            ["replicaVersions"] = string.Join(",", result.ReplicaVersions.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}:v{kv.Value}")),
        };
        if (result.AllReplicasAfter is { } after) details["allReplicasAfter"] = after.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        if (!result.Succeeded)
        {
            details["rotation"] = "failed";
            details["stage"] = result.Stage.ToString();
            details["error"] = result.Error ?? "unknown";
        }
        else details["rotation"] = "succeeded";

        if (result.NewVersion is { } version)
            context.Emit(new TargetEvent(context.Time.GetUtcNow(), TargetEventKinds.SecretRotated, path,
                $"version {result.PreviousVersion ?? 0} -> {version}{(result.Verified ? ", every replica picked it up" : "")}"));

        var revert = new CancellationTokenSource();
        if (o.RevokePreviousAfter is { } revokeAfter && result.NewVersion is not null && result.PreviousVersion is > 0)
        {
            details["revokePreviousAfter"] = revokeAfter.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            runtime.RunInBackground(async ct =>
            {
                await Task.Delay(revokeAfter, context.Time, ct);
                try
                {
                    var revoked = await job.RevokePreviousAsync(ct);
                    if (revoked.Succeeded) details["destroyedVersion"] = Version(revoked.DestroyedVersion);
                    else details["revokeError"] = revoked.Error ?? "unknown";
                }
                catch (HttpRequestException e)
                {
                    // Vault unreachable (an outage in the same run): the revocation did not happen, and the details say so.
                    details["revokeError"] = $"{e.GetType().Name}: {e.Message}";
                }
            }, revert.Token);
        }
        return new RevertableFault(details, async _ =>
        {
            await revert.CancelAsync();
            revert.Dispose();
        });
    }

    private static string Version(int? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "none";
}
