using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Kubernetes.Kube;
using k8s;
using k8s.Models;

namespace IndexForge.Resilience.Kubernetes.Events;

/// <summary>
/// replica-stopped / replica-started from the sample-service pods' status in the run namespace: a
/// replica (its <c>indexforge.io/replica</c> label) is up while one of its pods is Running, Ready and
/// not being deleted. A replica going from up to down (pod deleted, terminating, not ready) is
/// "replica-stopped", back to up "replica-started" — the embedded target's events for a killed and a
/// restarted replica. Also keeps the pod IP → replica map the Envoy host statuses are named with.
/// </summary>
public sealed class ReplicaPodEvents(IKubernetes client, string ns) : IRunEventSource
{
    private Dictionary<string, (bool Up, string Why)>? _previous;
    private volatile IReadOnlyDictionary<string, string> _replicaByIp = new Dictionary<string, string>();

    public string Name => "pods";

    /// <summary>The replica id of a pod IP seen at the last poll; null when unknown.</summary>
    public string? ReplicaOf(string ip) => _replicaByIp.GetValueOrDefault(ip);

    public async Task<IReadOnlyList<TargetEvent>> PollAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"{KubeLabels.App}={KubeLabels.AppValue}", cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        var byIp = new Dictionary<string, string>(StringComparer.Ordinal);
        var current = new Dictionary<string, (bool Up, string Why)>(StringComparer.Ordinal);
        foreach (var pod in pods.Items)
        {
            if (pod.Metadata.Labels is null || !pod.Metadata.Labels.TryGetValue(KubeLabels.Replica, out var replica) || replica.Length == 0) continue;
            if (pod.Status?.PodIP is { Length: > 0 } ip) byIp[ip] = replica;
            var (up, why) = State(pod);
            // One up pod keeps the replica up (a rolling restart's surge pod, say).
            if (!current.TryGetValue(replica, out var seen) || (!seen.Up && up)) current[replica] = (up, why);
        }
        _replicaByIp = byIp;
        var previous = _previous;
        _previous = current;
        if (previous is null) return [];
        var events = new List<TargetEvent>();
        foreach (var (replica, was) in previous.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var state = current.TryGetValue(replica, out var c) ? c : (Up: false, Why: "no pod");
            if (was.Up && !state.Up) events.Add(new TargetEvent(now, TargetEventKinds.ReplicaStopped, replica, state.Why));
            if (!was.Up && state.Up) events.Add(new TargetEvent(now, TargetEventKinds.ReplicaStarted, replica, state.Why));
        }
        foreach (var (replica, c) in current.Where(c => !previous.ContainsKey(c.Key) && c.Value.Up).OrderBy(c => c.Key, StringComparer.Ordinal))
            events.Add(new TargetEvent(now, TargetEventKinds.ReplicaStarted, replica, c.Why));
        return events;
    }

    private static (bool Up, string Why) State(V1Pod pod)
    {
        var name = pod.Metadata.Name;
        if (pod.Metadata.DeletionTimestamp is not null) return (false, $"pod {name} terminating");
        if (pod.Status?.Phase != "Running") return (false, $"pod {name} {pod.Status?.Phase ?? "pending"}");
        var terminated = pod.Status.ContainerStatuses?.FirstOrDefault(s => s.State?.Terminated is not null);
        if (terminated is not null) return (false, $"pod {name}: container {terminated.Name} terminated ({terminated.State.Terminated.Reason ?? "exit " + terminated.State.Terminated.ExitCode})");
        var ready = pod.Status.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        // No conditions reported yet: the phase decides (a real kubelet always reports Ready).
        return ready is null || ready.Status == "True" ? (true, $"pod {name} ready") : (false, $"pod {name} not ready");
    }
}
