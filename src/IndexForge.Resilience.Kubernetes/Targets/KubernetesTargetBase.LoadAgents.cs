using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Kubernetes.LoadAgents;

namespace IndexForge.Resilience.Kubernetes.Targets;

/// <summary>What the Kubernetes targets offer <c>--load-agents</c>: the run namespace, the in-cluster entry, the harness image.</summary>
public abstract partial class KubernetesTargetBase : ILoadAgentHost
{
    /// <summary>TargetOptions.Extra key (CLI <c>--agent-image</c>): the harness image the load agents run.</summary>
    public const string AgentImageKey = "agent-image";

    private LoadAgentSite? _loadAgentSite;
    private Task<string>? _agentImage;
    private readonly Lock _agentImageGate = new();

    public LoadAgentSite? LoadAgentSite => _loadAgentSite;

    /// <summary>
    /// The harness image the cluster can run for the agents: <c>--agent-image</c>, else the pinned
    /// <c>loadAgent.image</c> of clusters/versions.yaml; k3s builds and imports its own.
    /// </summary>
    protected virtual Task<string> LoadAgentImageAsync(TargetRequest request, CancellationToken ct) =>
        Task.FromResult(Options.Extra.TryGetValue(AgentImageKey, out var image) && image.Length > 0 ? image : Versions.LoadAgent.Image);

    /// <summary>Adds the in-cluster entry to the environment and makes the site the agents use.</summary>
    private TargetEnvironment WithLoadAgents(TargetEnvironment environment, TargetRequest request)
    {
        var cluster = _cluster ?? throw new InvalidOperationException($"{Name}: the run is not installed");
        // The service itself, reached through the agent pod's own sidecar: the agents are the mesh's
        // caller, so the DestinationRule (pool, outlier detection, locality failover) applies to them.
        var entry = new Uri($"http://{Kube.KubeLabels.AppValue}.{cluster.Namespace}.svc.cluster.local:{Faults.KubeConstants.SampleServicePort}/");
        var caller = request.Scenario.Topology.CallerRegion;
        _loadAgentSite = new LoadAgentSite
        {
            Client = cluster.Client,
            Guard = cluster.Guard,
            InClusterEntry = entry,
            ScenarioFile = request.Scenario.SourceFile,
            CallerLocality = $"{caller}.{caller}a",
            ImageAsync = ct =>
            {
                lock (_agentImageGate) return _agentImage ??= LoadAgentImageAsync(request, ct);
            },
            JobTemplate = Path.Combine(ClustersDir, "k3s", "load-agent", "job.yaml"),
            Time = request.Time,
        };
        return environment with
        {
            Endpoints =
            [
                .. environment.Endpoints,
                new NamedEndpoint(LoadAgentConstants.InClusterEntryEndpoint, entry, "the entry point inside the cluster (load agents send here through their sidecar)"),
            ],
        };
    }
}
