using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.ReplicaKill;
using IndexForge.Resilience.Kubernetes.Kube;
using k8s;
using k8s.Models;

namespace IndexForge.Resilience.Kubernetes.Faults.ReplicaKill;

/// <summary>
/// Scales the replica's Deployment to zero, then deletes its pod with no grace period (a kill, not
/// a drain); the revert scales it back. Deleting alone would let the Deployment restart the pod at
/// once, and the scenario says the replica stays down for the window.
/// </summary>
public sealed class ReplicaKillInjector(KubeCluster cluster) : KubeInjector<ReplicaKillOptions>(cluster)
{
    public override string Type => FaultTypes.ReplicaKill;

    protected override async Task InjectCoreAsync(ReplicaKillOptions options, FaultContext context, UndoLog undo, Dictionary<string, string> details, CancellationToken ct)
    {
        var pods = await Cluster.RunningPodsAsync($"{KubeLabels.Replica}={options.Replica}", ct).ConfigureAwait(false);
        var scaled = await Scaling.ScaleToZeroAsync(Cluster, $"{KubeLabels.Replica}={options.Replica}", context, undo, ct).ConfigureAwait(false);
        foreach (var pod in pods)
        {
            Cluster.Guard.EnsureOwned(Cluster.Namespace, $"delete pod {pod.Metadata.Name}");
            await Cluster.Client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, Cluster.Namespace,
                new V1DeleteOptions { GracePeriodSeconds = 0 }, cancellationToken: ct).ConfigureAwait(false);
        }
        details["deployments"] = string.Join(",", scaled);
        details["killedPods"] = string.Join(",", pods.Select(p => p.Metadata.Name));
    }
}
