using IndexForge.Resilience.Core.Running;

namespace IndexForge.Resilience.Cli;

/// <summary>Chooses how a run shows its progress.</summary>
internal static class Progress
{
    public static IRunObserver Create(TextWriter output) => NullRunObserver.Instance;
}
