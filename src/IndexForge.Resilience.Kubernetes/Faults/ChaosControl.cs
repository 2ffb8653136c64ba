using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Kubernetes.Kube;

namespace IndexForge.Resilience.Kubernetes.Faults;

/// <summary>The sample service's chaos control endpoint (PUT/DELETE /control/chaos), reached through a pod channel.</summary>
internal static class ChaosControl
{
    public const string Path = "control/chaos";

    public static JsonObject Body(double errorRate, int statusCode, int latencyMs, double latencyRate) => new()
    {
        ["errorRate"] = errorRate,
        ["statusCode"] = statusCode,
        ["latencyMs"] = latencyMs,
        ["latencyRate"] = latencyRate,
    };

    /// <summary>Sets chaos on a replica's pod and records the clearing of it; returns the pod name.</summary>
    public static async Task<string> SetAsync(KubeCluster cluster, string replica, JsonObject body, UndoLog undo, CancellationToken ct)
    {
        var pod = await cluster.ReplicaPodAsync(replica, ct).ConfigureAwait(false);
        var name = pod.Metadata.Name;
        cluster.Guard.EnsureOwned(cluster.Namespace, $"set chaos on pod {name}");
        await SendAsync(cluster, name, HttpMethod.Put, body, ct).ConfigureAwait(false);
        undo.Add($"clear chaos on pod {name}", c => ClearAsync(cluster, replica, c));
        return name;
    }

    /// <summary>Clears chaos on the replica's current pod; a pod that was replaced meanwhile starts clear anyway.</summary>
    public static async Task ClearAsync(KubeCluster cluster, string replica, CancellationToken ct)
    {
        var pods = await cluster.RunningPodsAsync($"{KubeLabels.Replica}={replica}", ct).ConfigureAwait(false);
        foreach (var pod in pods) await SendAsync(cluster, pod.Metadata.Name, HttpMethod.Delete, null, ct).ConfigureAwait(false);
    }

    private static async Task SendAsync(KubeCluster cluster, string pod, HttpMethod method, JsonObject? body, CancellationToken ct)
    {
        await using var channel = await cluster.Channels.OpenAsync(cluster.Namespace, pod, KubeConstants.SampleServicePort, ct).ConfigureAwait(false);
        using var http = new HttpClient { BaseAddress = channel.LocalAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(method, Path);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new FaultInjectionException($"{method} /{Path} on pod {pod} answered {(int)response.StatusCode}");
    }
}
