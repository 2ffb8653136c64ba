using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace IndexForge.Resilience.Lint.Parsing;

/// <summary>Null-tolerant navigation over YamlDotNet nodes, keeping source lines.</summary>
public static class YamlNav
{
    public static YamlNode? Get(this YamlNode? node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map) return null;
            current = map.Children.TryGetValue(new YamlScalarNode(key), out var next) ? next : null;
        }
        return current;
    }

    public static YamlMappingNode? Map(this YamlNode? node, params string[] path) => node.Get(path) as YamlMappingNode;
    public static YamlSequenceNode? Seq(this YamlNode? node, params string[] path) => node.Get(path) as YamlSequenceNode;

    /// <summary>Scalar value, or null when absent, not a scalar, or YAML null (~, null, empty).</summary>
    public static string? Str(this YamlNode? node, params string[] path)
    {
        if (node.Get(path) is not YamlScalarNode scalar || scalar.Value is null) return null;
        if (scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL") return null;
        return scalar.Value;
    }

    public static long? Long(this YamlNode? node, params string[] path) =>
        long.TryParse(node.Str(path), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static double? Double(this YamlNode? node, params string[] path) =>
        double.TryParse(node.Str(path), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>YAML 1.1 booleans as Kubernetes and compose read them.</summary>
    public static bool? Bool(this YamlNode? node, params string[] path) => node.Str(path)?.ToLowerInvariant() switch
    {
        "true" or "yes" or "on" or "y" => true,
        "false" or "no" or "off" or "n" => false,
        _ => null,
    };

    public static bool Has(this YamlNode? node, params string[] path) => node.Get(path) is not null;

    public static IEnumerable<YamlNode> Items(this YamlNode? node) =>
        node is YamlSequenceNode seq ? seq.Children : [];

    public static IEnumerable<(string Key, YamlNode Value, int Line)> Entries(this YamlNode? node)
    {
        if (node is not YamlMappingNode map) yield break;
        foreach (var (k, v) in map.Children)
            if (k is YamlScalarNode { Value: { } key }) yield return (key, v, k.Line());
    }

    public static int Line(this YamlNode node) => checked((int)node.Start.Line);

    /// <summary>Line of the key (the start of "key: value"), else the node's own line, else the fallback.</summary>
    public static int LineOf(this YamlNode? node, int fallback, params string[] path)
    {
        if (path.Length == 0) return node?.Line() ?? fallback;
        var parent = node.Get(path[..^1]) as YamlMappingNode;
        if (parent is null) return node is null ? fallback : NearestLine(node, path[..^1], fallback);
        foreach (var (k, _) in parent.Children)
            if (k is YamlScalarNode { Value: { } key } && key == path[^1]) return k.Line();
        return parent.Line();
    }

    private static int NearestLine(YamlNode node, string[] path, int fallback)
    {
        var current = node;
        var line = node.Line();
        foreach (var key in path)
        {
            current = current.Get(key);
            if (current is null) break;
            line = current.Line();
        }
        return line > 0 ? line : fallback;
    }

    public static IReadOnlyDictionary<string, string> Labels(this YamlNode? node)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value, _) in node.Entries())
            if (value is YamlScalarNode { Value: { } v }) result[key] = v;
        return result;
    }

    /// <summary>A scalar or a sequence of scalars as a list of strings.</summary>
    public static IReadOnlyList<string> Strings(this YamlNode? node) => node switch
    {
        YamlScalarNode { Value: { } v } => [v],
        YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList(),
        _ => [],
    };
}
