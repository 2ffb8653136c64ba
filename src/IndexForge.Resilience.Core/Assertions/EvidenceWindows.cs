using IndexForge.Resilience.Core.Load;

namespace IndexForge.Resilience.Core.Assertions;

/// <summary>Picks the load windows an assertion's evidence comes from.</summary>
public static class EvidenceWindows
{
    /// <summary>A phase's own windows when the assertion names a phase; otherwise windows overlapping [start, end).</summary>
    public static IReadOnlyList<LoadWindow> Select(AssertionContext context, AssertionOptions options, TimeSpan start, TimeSpan end) =>
        options.Phase is { } phase
            ? context.Load.Windows.Where(w => w.Phase == phase).ToList()
            : context.Load.Between(start, end).ToList();
}
