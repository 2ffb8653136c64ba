using IndexForge.Resilience.Kubernetes.Guard;
using IndexForge.Resilience.Kubernetes.Kube;
using IndexForge.Resilience.Kubernetes.Vault;
using k8s;
using k8s.Models;

namespace IndexForge.Resilience.Kubernetes.Faults;

/// <summary>What the injectors of one run share: the API client, the run namespace and its guard, and how to reach pods.</summary>
public sealed class KubeCluster
{
    public required IKubernetes Client { get; init; }
    public required NamespaceGuard Guard { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>Opens an HTTP channel to a pod port (a port-forward in production).</summary>
    public required IPodChannelFactory Channels { get; init; }
    /// <summary>Vault as the run reaches it; null when the target runs without Vault.</summary>
    public VaultAccess? Vault { get; init; }
    public KubeTimings Timings { get; init; } = new();
    /// <summary>Images the probes use (pinned in clusters/versions.yaml).</summary>
    public string ProbeImage { get; init; } = KubeConstants.DefaultProbeImage;
    /// <summary>The TLS probes' image: openssl and curl (pinned in clusters/versions.yaml).</summary>
    public string TlsProbeImage { get; init; } = KubeConstants.DefaultTlsProbeImage;
    /// <summary>The scenario's caller region: a probe without a replica aims at the first replica there.</summary>
    public string? CallerRegion { get; init; }

    private readonly string? _namespace;

    /// <summary>Where the sample service runs; the run namespace unless set. Every change is still checked by <see cref="Guard"/>.</summary>
    public string Namespace
    {
        get => _namespace ?? Guard.RunNamespace;
        init => _namespace = value;
    }
    public ResourceClient Resources => new(Client);

    /// <summary>The Deployment name of a replica id (one Deployment per replica keeps ids stable).</summary>
    public static string DeploymentOf(string replica) => $"{KubeConstants.SampleServiceName}-{replica}";

    public async Task<IReadOnlyList<V1Pod>> RunningPodsAsync(string labelSelector, CancellationToken ct)
    {
        var pods = await Client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: labelSelector, cancellationToken: ct).ConfigureAwait(false);
        return pods.Items.Where(p => p.Status?.Phase == "Running" && p.Metadata.DeletionTimestamp is null).ToList();
    }

    public async Task<V1Pod> ReplicaPodAsync(string replica, CancellationToken ct)
    {
        var pods = await RunningPodsAsync($"{KubeLabels.Replica}={replica}", ct).ConfigureAwait(false);
        return pods.Count > 0 ? pods[0]
            : throw new Core.Faults.FaultInjectionException($"replica {replica} has no running pod in namespace {Namespace}");
    }
}

public sealed record KubeTimings
{
    public TimeSpan Poll { get; init; } = KubeConstants.DefaultPoll;
    public TimeSpan ProbeTimeout { get; init; } = KubeConstants.DefaultProbeTimeout;
    public TimeSpan ReadyTimeout { get; init; } = KubeConstants.DefaultReadyTimeout;
}

public static class KubeConstants
{
    public const string SampleServiceName = "indexforge";
    public const int SampleServicePort = 8080;
    public const string VaultName = "vault";
    public const int VaultPort = 8200;
    public const string PrometheusName = "prometheus";
    public const int PrometheusPort = 9090;
    public const string DefaultProbeImage = "curlimages/curl:8.11.1";
    public const string DefaultTlsProbeImage = "nicolaka/netshoot:v0.13";
    public static readonly TimeSpan DefaultPoll = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromSeconds(90);
    public static readonly TimeSpan DefaultReadyTimeout = TimeSpan.FromMinutes(5);
    /// <summary>How long a run namespace lives before `reap` may delete it (a crashed run leaves it behind).</summary>
    public static readonly TimeSpan DefaultNamespaceTtl = TimeSpan.FromHours(6);
}
