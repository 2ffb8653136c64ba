using System.Net;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Kubernetes.Kube;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IndexForge.Resilience.Kubernetes.Faults.Probes;

/// <summary>Runs a short-lived probe pod to completion and returns its container's exit code and log; the pod is deleted after, also on failure.</summary>
public static class ProbePods
{
    public static async Task<(int ExitCode, string Output)> RunAsync(KubeCluster cluster, V1Pod pod, string container, CancellationToken ct)
    {
        var (name, ns) = (pod.Metadata.Name, pod.Metadata.NamespaceProperty);
        cluster.Guard.EnsureOwned(ns, "run a probe pod");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, ns, cancellationToken: ct).ConfigureAwait(false);
        try
        {
            return await WaitAsync(cluster, name, ns, container, ct).ConfigureAwait(false);
        }
        finally
        {
            await DeleteAsync(cluster, name, ns).ConfigureAwait(false);
        }
    }

    private static async Task DeleteAsync(KubeCluster cluster, string name, string ns)
    {
        try
        {
            await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, ns, new V1DeleteOptions { GracePeriodSeconds = 0 }, cancellationToken: CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    private static async Task<(int, string)> WaitAsync(KubeCluster cluster, string pod, string ns, string container, CancellationToken ct)
    {
        var deadline = cluster.Time.GetUtcNow() + cluster.Timings.ProbeTimeout;
        while (cluster.Time.GetUtcNow() < deadline)
        {
            var p = await cluster.Client.CoreV1.ReadNamespacedPodAsync(pod, ns, cancellationToken: ct).ConfigureAwait(false);
            // A sidecar may keep running after the probe exits, so the probe container's own state decides.
            var terminated = p.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == container)?.State?.Terminated;
            if (terminated is not null)
            {
                using var log = await cluster.Client.CoreV1.ReadNamespacedPodLogAsync(pod, ns, container: container, cancellationToken: ct).ConfigureAwait(false);
                using var reader = new StreamReader(log);
                return (terminated.ExitCode, (await reader.ReadToEndAsync(ct).ConfigureAwait(false)).Trim());
            }
            await Task.Delay(cluster.Timings.Poll, cluster.Time, ct).ConfigureAwait(false);
        }
        throw new FaultInjectionException($"probe pod {ns}/{pod} did not finish within {cluster.Timings.ProbeTimeout}");
    }

    /// <summary>The probe container's security context: the plan's restricted profile.</summary>
    public static V1SecurityContext Restricted() => new()
    {
        RunAsNonRoot = true, RunAsUser = 1000, AllowPrivilegeEscalation = false, ReadOnlyRootFilesystem = true,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
    };

    /// <summary>The replica a probe aims at: its own <paramref name="replica"/>, else the first replica of the caller's region, else the first one.</summary>
    public static async Task<(string Replica, V1Pod Pod)> TargetAsync(KubeCluster cluster, string? replica, CancellationToken ct)
    {
        if (replica is not null) return (replica, await cluster.ReplicaPodAsync(replica, ct).ConfigureAwait(false));
        var pods = (await cluster.RunningPodsAsync($"{KubeLabels.App}={KubeLabels.AppValue}", ct).ConfigureAwait(false))
            .Where(p => p.Metadata.Labels?.ContainsKey(KubeLabels.Replica) == true)
            .OrderBy(p => p.Metadata.Labels.TryGetValue(KubeLabels.Region, out var region) && region == cluster.CallerRegion ? 0 : 1)
            .ThenBy(p => p.Metadata.Labels[KubeLabels.Replica], StringComparer.Ordinal)
            .ToList();
        return pods.Count > 0 ? (pods[0].Metadata.Labels[KubeLabels.Replica], pods[0])
            : throw new FaultInjectionException($"no running replica pod in namespace {cluster.Namespace}");
    }

    /// <summary>host:port of a pod's app port, IPv6 in brackets.</summary>
    public static string AddressOf(V1Pod pod)
    {
        var ip = pod.Status?.PodIP is { Length: > 0 } x ? x
            : throw new FaultInjectionException($"pod {pod.Metadata.Name} has no IP yet");
        return $"{(ip.Contains(':') ? $"[{ip}]" : ip)}:{KubeConstants.SampleServicePort}";
    }
}
