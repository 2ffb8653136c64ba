using IndexForge.Resilience.Kubernetes.Guard;
using k8s;

namespace IndexForge.Resilience.Kubernetes.LoadAgents;

/// <summary>What a Kubernetes target offers the load agents once it is up: where they run and what they send to.</summary>
public sealed record LoadAgentSite
{
    public required IKubernetes Client { get; init; }
    /// <summary>The run namespace's guard: the Job, its ConfigMap and nothing else are created and deleted there.</summary>
    public required NamespaceGuard Guard { get; init; }
    /// <summary>The entry point as seen from inside the cluster (the service through the agent's own sidecar), not a port-forward.</summary>
    public required Uri InClusterEntry { get; init; }
    /// <summary>The scenario file the agents read (the same file the harness loaded; a control changes no load).</summary>
    public required string ScenarioFile { get; init; }
    /// <summary>Istio locality of the caller (<c>region.zone</c>): the agents are the caller for locality failover.</summary>
    public required string CallerLocality { get; init; }
    /// <summary>The harness image the cluster can run (k3s builds and imports it; kubeconfig is given one or uses the pinned default).</summary>
    public required Func<CancellationToken, Task<string>> ImageAsync { get; init; }
    /// <summary>clusters/k3s/load-agent/job.yaml.</summary>
    public required string JobTemplate { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>A target that can host load agents (the Kubernetes targets).</summary>
public interface ILoadAgentHost
{
    /// <summary>Null until the target is up.</summary>
    LoadAgentSite? LoadAgentSite { get; }
}
