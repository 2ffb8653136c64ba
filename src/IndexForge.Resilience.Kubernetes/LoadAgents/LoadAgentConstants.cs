namespace IndexForge.Resilience.Kubernetes.LoadAgents;

/// <summary>Defaults of the load agents (<c>--load-agents</c>, the <c>agent</c> command).</summary>
public static class LoadAgentConstants
{
    /// <summary>How far ahead of now the shared start is put, so every pod is scheduled, pulled and running first.</summary>
    public static readonly TimeSpan ScheduleLead = TimeSpan.FromSeconds(45);
    /// <summary>An agent refuses a shared start older than this (its sends would all be late): exit 2.</summary>
    public static readonly TimeSpan LateStartTolerance = TimeSpan.FromSeconds(5);
    /// <summary>Beyond the start and the load's duration, how long the Job may take to finish (request timeouts, log flush).</summary>
    public static readonly TimeSpan CompletionSlack = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    /// <summary>Bound on deleting the Job and ConfigMap at the end (also after a failure or Ctrl-C).</summary>
    public static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(30);
    public const int MaxAgents = 100;
    public const string JobLabel = "indexforge.io/load-job";
    public const string CompletionIndexAnnotation = "batch.kubernetes.io/job-completion-index";
    public const string ContainerName = "agent";
    public const string ScenarioKey = "scenario.yaml";
    /// <summary>The named endpoint (<see cref="Core.Targets.TargetEnvironment.Endpoints"/>) agents send to from inside the cluster.</summary>
    public const string InClusterEntryEndpoint = "in-cluster-entry";
}
