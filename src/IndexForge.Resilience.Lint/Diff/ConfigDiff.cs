using YamlDotNet.RepresentationModel;

namespace IndexForge.Resilience.Lint.Diff;

/// <summary>One difference between two YAML trees: the path and both values.</summary>
public sealed record YamlDifference(string File, string Path, string? Left, string? Right)
{
    public string Field => Path[(Path.LastIndexOf('.') + 1)..];
}

/// <summary>
/// Compares two configuration directories document by document, so a variant (hardened-fast) can be
/// shown to differ from its base (hardened) only in the fields it is allowed to change.
/// </summary>
public static class ConfigDiff
{
    /// <summary>Fields that only set how fast detection and recovery happen.</summary>
    public static readonly IReadOnlySet<string> TimingFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "interval", "baseEjectionTime", "maxEjectionTime", "connectTimeout", "idleTimeout", "timeout", "perTryTimeout",
    };

    public static IReadOnlyList<YamlDifference> Compare(string leftDir, string rightDir)
    {
        var result = new List<YamlDifference>();
        var leftFiles = Files(leftDir);
        var rightFiles = Files(rightDir);
        foreach (var name in leftFiles.Keys.Union(rightFiles.Keys).Order(StringComparer.Ordinal))
        {
            if (!leftFiles.TryGetValue(name, out var l)) { result.Add(new(name, "(file)", null, "present")); continue; }
            if (!rightFiles.TryGetValue(name, out var r)) { result.Add(new(name, "(file)", "present", null)); continue; }
            var leftDocs = YamlLoader.Load(File.ReadAllText(l));
            var rightDocs = YamlLoader.Load(File.ReadAllText(r));
            for (var i = 0; i < Math.Max(leftDocs.Count, rightDocs.Count); i++)
                Walk(name, $"[{i}]", i < leftDocs.Count ? leftDocs[i] : null, i < rightDocs.Count ? rightDocs[i] : null, result);
        }
        return result;
    }

    private static Dictionary<string, string> Files(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(dir, f), f => f, StringComparer.Ordinal);

    private static void Walk(string file, string path, YamlNode? left, YamlNode? right, List<YamlDifference> result)
    {
        switch (left, right)
        {
            case (YamlMappingNode lm, YamlMappingNode rm):
                var keys = lm.Children.Keys.Concat(rm.Children.Keys).OfType<YamlScalarNode>().Select(k => k.Value!).Distinct();
                foreach (var key in keys)
                    Walk(file, path + "." + key, lm.Get(key), rm.Get(key), result);
                break;
            case (YamlSequenceNode ls, YamlSequenceNode rs):
                for (var i = 0; i < Math.Max(ls.Children.Count, rs.Children.Count); i++)
                    Walk(file, $"{path}[{i}]", i < ls.Children.Count ? ls.Children[i] : null, i < rs.Children.Count ? rs.Children[i] : null, result);
                break;
            case (YamlScalarNode ln, YamlScalarNode rn):
                if (ln.Value != rn.Value) result.Add(new(file, path, ln.Value, rn.Value));
                break;
            default:
                if (left is not null || right is not null) result.Add(new(file, path, left?.ToString(), right?.ToString()));
                break;
        }
    }
}
