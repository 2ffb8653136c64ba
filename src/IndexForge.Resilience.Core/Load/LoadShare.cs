namespace IndexForge.Resilience.Core.Load;

/// <summary>
/// Which part of a scenario's load one generator sends when several share it (load agents).
/// Agent <see cref="Index"/> of <see cref="Count"/> takes open-model sends i with
/// i mod Count == Index (sends Index, Index+Count, Index+2·Count…) and closed-model users u with
/// u mod Count == Index, so the agents' shares are disjoint and their union is exactly the whole
/// schedule. Request-mix draws are made for every send in order (a generator draws, and discards,
/// the draws of the other shares), so the union also sends exactly the single generator's mix.
/// </summary>
public readonly record struct LoadShare
{
    public LoadShare(int index, int count)
    {
        Index = index;
        Count = count;
    }

    /// <summary>The whole load: one generator.</summary>
    public static LoadShare Whole { get; } = new(0, 1);

    public int Index { get; }
    public int Count { get; }

    public bool IsWhole => Count <= 1;

    /// <summary>True when send (or user) <paramref name="i"/> belongs to this share.</summary>
    public bool Owns(long i) => IsWhole || i % Count == Index;

    /// <summary>Problems with the share itself (empty when valid).</summary>
    public IEnumerable<string> Problems()
    {
        if (Count < 1) yield return $"the share needs at least one agent (count {Count})";
        else if (Index < 0 || Index >= Count) yield return $"agent index {Index} is outside 0..{Count - 1}";
    }

    public override string ToString() => $"{Index}/{Count}";
}
