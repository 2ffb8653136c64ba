using IndexForge.Resilience.Core.Assertions;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Cli;

/// <summary>The load engine and assertion evaluators the CLI runs with.</summary>
internal static class Engines
{
    public static ILoadEngine Load() => new LoadEngine();

    /// <summary>
    /// <c>--load-agents N</c>: the load goes to N agent pods of the target created last (the runner
    /// brings one target up per scenario, one at a time).
    /// </summary>
    public static ILoadEngine Agents(int agents, Func<ITarget?> currentTarget, Action<string> progress) =>
        new Kubernetes.LoadAgents.DistributedLoadEngine(
            () => (currentTarget() as Kubernetes.LoadAgents.ILoadAgentHost)?.LoadAgentSite,
            new Kubernetes.LoadAgents.LoadAgentOptions { Agents = agents },
            progress);

    public static AssertionEvaluators Assertions() => AssertionEvaluators.Default;
}
