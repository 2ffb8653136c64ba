using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.VaultOutage;
using IndexForge.Resilience.Kubernetes.Vault;
using k8s;
using k8s.Models;

namespace IndexForge.Resilience.Kubernetes.Faults.VaultOutage;

/// <summary>
/// Scales Vault's StatefulSet to zero for the window; the revert scales it back, waits for the pod
/// and unseals it — a restarted Vault comes back sealed, as it would after a real outage.
/// </summary>
public sealed class VaultOutageInjector(KubeCluster cluster) : KubeInjector<VaultOutageOptions>(cluster)
{
    public override string Type => FaultTypes.VaultOutage;

    protected override async Task InjectCoreAsync(VaultOutageOptions options, FaultContext context, UndoLog undo, Dictionary<string, string> details, CancellationToken ct)
    {
        var vault = Cluster.Vault ?? throw new FaultInjectionException("this target runs without a Vault of its own");
        Cluster.Guard.EnsureOwned(vault.Namespace, $"scale StatefulSet {vault.StatefulSet} to 0");
        _ = vault.RootToken; // refuse before stopping a Vault this run could not unseal again
        var set = await Cluster.Client.AppsV1.ReadNamespacedStatefulSetAsync(vault.StatefulSet, vault.Namespace, cancellationToken: ct).ConfigureAwait(false);
        var original = set.Spec.Replicas ?? 1;
        if (original == 0) throw new FaultInjectionException($"StatefulSet {vault.StatefulSet} is already at 0 replicas");
        await SetReplicasAsync(vault, 0, ct).ConfigureAwait(false);
        undo.Add($"scale StatefulSet {vault.StatefulSet} back to {original} and unseal", async c =>
        {
            await SetReplicasAsync(vault, original, c).ConfigureAwait(false);
            await UnsealWhenBackAsync(vault, c).ConfigureAwait(false);
        });
        details["statefulSet"] = $"{vault.Namespace}/{vault.StatefulSet}:{original}";
    }

    private Task SetReplicasAsync(VaultAccess vault, int replicas, CancellationToken ct) =>
        Cluster.Client.AppsV1.PatchNamespacedStatefulSetAsync(
            Kube.Patches.Replicas(replicas),
            vault.StatefulSet, vault.Namespace, cancellationToken: ct);

    private async Task UnsealWhenBackAsync(VaultAccess vault, CancellationToken ct)
    {
        var deadline = Cluster.Time.GetUtcNow() + Cluster.Timings.ReadyTimeout;
        Exception? last = null;
        while (Cluster.Time.GetUtcNow() < deadline)
        {
            try
            {
                var pod = await Cluster.Client.CoreV1.ReadNamespacedPodAsync(vault.Pod, vault.Namespace, cancellationToken: ct).ConfigureAwait(false);
                if (pod.Status?.Phase == "Running" && pod.Metadata.DeletionTimestamp is null)
                {
                    await using var session = await vault.OpenAsync(Cluster.Channels, ct).ConfigureAwait(false);
                    await vault.UnsealAsync(session.Api, ct).ConfigureAwait(false);
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                last = e; // the pod is still being created or Vault is not listening yet
            }
            await Task.Delay(Cluster.Timings.Poll, Cluster.Time, ct).ConfigureAwait(false);
        }
        throw new FaultInjectionException($"Vault did not come back within {Cluster.Timings.ReadyTimeout}: {last?.Message ?? "pod not running"}", last);
    }
}
