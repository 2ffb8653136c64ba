using IndexForge.Resilience.Kubernetes.Faults;
using IndexForge.Resilience.Kubernetes.Kube;
using k8s;

namespace IndexForge.Resilience.Kubernetes.Targets;

/// <summary>Waits for workloads with progress lines, and says what is missing when it gives up.</summary>
public static class Readiness
{
    public static async Task WaitForDeploymentsAsync(
        IKubernetes client, string ns, string selector, int expected, KubeTimings timings, TimeProvider time, Action<string> progress, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + timings.ReadyTimeout;
        var lastReport = "";
        while (true)
        {
            var list = await client.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: selector, cancellationToken: ct).ConfigureAwait(false);
            var notReady = list.Items.Where(d => (d.Status?.ReadyReplicas ?? 0) < (d.Spec.Replicas ?? 1)).Select(d => d.Metadata.Name).Order(StringComparer.Ordinal).ToList();
            var report = $"{list.Items.Count - notReady.Count}/{expected} ready ({selector})";
            if (list.Items.Count >= expected && notReady.Count == 0)
            {
                progress(report);
                return;
            }
            if (report != lastReport) progress(report);
            lastReport = report;
            if (time.GetUtcNow() >= deadline)
                throw new KubernetesTargetException($"not ready within {timings.ReadyTimeout} in {ns}: {string.Join(", ", notReady)} ({report})");
            await Task.Delay(timings.Poll, time, ct).ConfigureAwait(false);
        }
    }

    public static async Task WaitForPodRunningAsync(IKubernetes client, string ns, string pod, KubeTimings timings, TimeProvider time, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + timings.ReadyTimeout;
        while (time.GetUtcNow() < deadline)
        {
            try
            {
                var p = await client.CoreV1.ReadNamespacedPodAsync(pod, ns, cancellationToken: ct).ConfigureAwait(false);
                if (p.Status?.Phase == "Running") return;
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
            }
            await Task.Delay(timings.Poll, time, ct).ConfigureAwait(false);
        }
        throw new KubernetesTargetException($"pod {ns}/{pod} not running within {timings.ReadyTimeout}");
    }
}
