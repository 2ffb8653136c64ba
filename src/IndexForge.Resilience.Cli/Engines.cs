using IndexForge.Resilience.Core.Assertions;
using IndexForge.Resilience.Core.Load;

namespace IndexForge.Resilience.Cli;

/// <summary>The load engine and assertion evaluators the CLI runs with.</summary>
internal static class Engines
{
    public static ILoadEngine Load() => new LoadEngine();

    public static AssertionEvaluators Assertions() => AssertionEvaluators.Default;
}
