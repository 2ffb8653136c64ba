namespace IndexForge.Resilience.Core.Scenarios;

/// <summary>A position in a scenario file, 1-based, as people and editors count.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public static readonly SourceLocation None = new("", 0, 0);
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}

/// <summary>
/// Base of every object read from YAML: remembers where it and each of its keys came from, so
/// checks made after binding (a fault that ends after the run, an unknown replica) still point at
/// file:line:column.
/// </summary>
public abstract record SpecNode
{
    private Dictionary<string, SourceLocation>? _keys;

    /// <summary>Where this mapping starts in the file.</summary>
    public SourceLocation Location { get; internal set; } = SourceLocation.None;

    /// <summary>Where the value of <paramref name="key"/> (camelCase YAML key) starts; falls back to the node.</summary>
    public SourceLocation LocationOf(string key) =>
        _keys is not null && _keys.TryGetValue(key, out var at) ? at : Location;

    /// <summary>True when the YAML named this key explicitly.</summary>
    public bool HasKey(string key) => _keys?.ContainsKey(key) == true;

    internal void SetKeyLocation(string key, SourceLocation at) => (_keys ??= new(StringComparer.Ordinal))[key] = at;

    // Records compare by value; source positions are bookkeeping and must not affect equality.
    public virtual bool Equals(SpecNode? other) => other is not null && EqualityContract == other.EqualityContract;
    public override int GetHashCode() => EqualityContract.GetHashCode();
}
