using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Targets;
using k8s;
using k8s.Models;

namespace IndexForge.Resilience.Kubernetes.Faults;

/// <summary>Scales the sample service's Deployments to zero and back to exactly the replica count they had.</summary>
internal static class Scaling
{
    public static async Task<IReadOnlyList<string>> ScaleToZeroAsync(
        KubeCluster cluster, string labelSelector, FaultContext context, UndoLog undo, CancellationToken ct)
    {
        var ns = cluster.Namespace;
        var list = await cluster.Client.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: labelSelector, cancellationToken: ct).ConfigureAwait(false);
        if (list.Items.Count == 0)
            throw new FaultInjectionException($"no Deployment in namespace {ns} matches {labelSelector}");
        var scaled = new List<string>();
        foreach (var d in list.Items.OrderBy(d => d.Metadata.Name, StringComparer.Ordinal))
        {
            var name = d.Metadata.Name;
            var original = d.Spec.Replicas ?? 1;
            if (original == 0) continue; // already down: nothing changed, nothing to restore
            cluster.Guard.EnsureOwned(ns, $"scale Deployment {name} to 0");
            await SetReplicasAsync(cluster, name, 0, ct).ConfigureAwait(false);
            var replica = d.Metadata.Labels?.TryGetValue(Kube.KubeLabels.Replica, out var r) == true ? r : name;
            context.Emit(new TargetEvent(context.Time.GetUtcNow(), TargetEventKinds.ReplicaStopped, replica, $"Deployment {name} scaled 0 (was {original})"));
            undo.Add($"scale Deployment {name} back to {original}", async c =>
            {
                await SetReplicasAsync(cluster, name, original, c).ConfigureAwait(false);
                context.Emit(new TargetEvent(context.Time.GetUtcNow(), TargetEventKinds.ReplicaStarted, replica, $"Deployment {name} scaled {original}"));
            });
            scaled.Add($"{name}:{original}");
        }
        return scaled;
    }

    public static Task SetReplicasAsync(KubeCluster cluster, string deployment, int replicas, CancellationToken ct) =>
        cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            Kube.Patches.Replicas(replicas),
            deployment, cluster.Namespace, cancellationToken: ct);
}
