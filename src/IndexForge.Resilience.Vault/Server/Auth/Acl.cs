namespace IndexForge.Resilience.Vault.Server.Auth;

/// <summary>
/// The capabilities a set of policies grants on a path, with Vault's precedence: an exact path wins; among
/// matching wildcard paths the most specific wins (later first wildcard, no trailing glob, fewer '+', longer,
/// lexicographically greater); rules with the same path in several policies merge; deny beats everything.
/// </summary>
public sealed class Acl
{
    private readonly bool _root;
    private readonly Dictionary<string, VaultCapabilities> _exact = new(StringComparer.Ordinal);
    private readonly List<(string Pattern, VaultCapabilities Capabilities)> _wildcards = [];

    public Acl(IEnumerable<VaultPolicy> policies)
    {
        var merged = new Dictionary<string, VaultCapabilities>(StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            if (policy.Name == VaultPolicy.RootName) _root = true;
            foreach (var rule in policy.Rules)
                merged[rule.Path] = merged.GetValueOrDefault(rule.Path) | rule.Capabilities;
        }
        foreach (var (path, capabilities) in merged)
        {
            if (path.EndsWith('*') || path.Contains('+')) _wildcards.Add((path, capabilities));
            else _exact[path] = capabilities;
        }
        _wildcards.Sort((a, b) => ComparePriority(b.Pattern, a.Pattern));
    }

    public bool IsRoot => _root;

    public VaultCapabilities CapabilitiesOn(string path)
    {
        if (_root) return VaultCapabilities.Create | VaultCapabilities.Read | VaultCapabilities.Update | VaultCapabilities.Delete
            | VaultCapabilities.List | VaultCapabilities.Patch | VaultCapabilities.Sudo;
        var capabilities = _exact.TryGetValue(path, out var exact) ? exact : FirstWildcard(path);
        return (capabilities & VaultCapabilities.Deny) != 0 ? VaultCapabilities.Deny : capabilities;
    }

    /// <summary>True if every capability in <paramref name="required"/> is granted on <paramref name="path"/>.</summary>
    public bool Allows(string path, VaultCapabilities required)
    {
        var granted = CapabilitiesOn(path);
        return (granted & VaultCapabilities.Deny) == 0 && (granted & required) == required;
    }

    private VaultCapabilities FirstWildcard(string path)
    {
        foreach (var (pattern, capabilities) in _wildcards)
            if (Matches(pattern, path)) return capabilities;
        return VaultCapabilities.None;
    }

    internal static bool Matches(string pattern, string path)
    {
        var glob = pattern.EndsWith('*');
        var body = glob ? pattern[..^1] : pattern;
        if (!body.Contains('+')) return glob ? path.StartsWith(body, StringComparison.Ordinal) : path == body;
        var patternSegments = body.Split('/');
        var pathSegments = path.Split('/');
        for (var i = 0; i < patternSegments.Length; i++)
        {
            if (i >= pathSegments.Length) return false;
            var last = i == patternSegments.Length - 1;
            if (patternSegments[i] == "+")
            {
                if (pathSegments[i].Length == 0) return false;
                continue;
            }
            if (last && glob) return pathSegments[i].StartsWith(patternSegments[i], StringComparison.Ordinal);
            if (patternSegments[i] != pathSegments[i]) return false;
        }
        return glob || patternSegments.Length == pathSegments.Length;
    }

    /// <summary>Positive when <paramref name="a"/> has the higher priority.</summary>
    private static int ComparePriority(string a, string b)
    {
        int FirstWildcard(string p)
        {
            var index = p.IndexOfAny(['+', '*']);
            return index < 0 ? int.MaxValue : index;
        }

        var byFirst = FirstWildcard(a).CompareTo(FirstWildcard(b));
        if (byFirst != 0) return byFirst;
        var byGlob = (!a.EndsWith('*')).CompareTo(!b.EndsWith('*'));
        if (byGlob != 0) return byGlob;
        var byPlus = b.Count(c => c == '+').CompareTo(a.Count(c => c == '+'));
        if (byPlus != 0) return byPlus;
        var byLength = a.Length.CompareTo(b.Length);
        return byLength != 0 ? byLength : string.CompareOrdinal(a, b);
    }
}
