using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace IndexForge.Resilience.Mesh.Config;

/// <summary>
/// Reads one YAML mapping against a known schema: every key it is asked for is marked as read,
/// keys the schema names but the mesh does not emulate become warnings, and <see cref="Done"/>
/// reports keys nobody asked for as errors (Istio's CRDs do not preserve unknown fields).
/// </summary>
internal sealed class YamlReader
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly DiagnosticSink _sink;

    public YamlReader(YamlMappingNode node, string file, string path, DiagnosticSink sink)
    {
        _node = node;
        File = file;
        Path = path;
        _sink = sink;
    }

    public string File { get; }
    /// <summary>Dotted path of this mapping from the resource's spec (e.g. "trafficPolicy.connectionPool").</summary>
    public string Path { get; }
    public ConfigLocation Location => At(_node);

    public ConfigLocation At(YamlNode node) => new(File, (int)node.Start.Line, (int)node.Start.Column);

    public bool Has(string key) => Find(key) is not null;

    /// <summary>Where the value of <paramref name="key"/> starts (for errors about a value); the mapping when absent.</summary>
    public ConfigLocation LocationOf(string key) => Find(key) is { } n ? At(n) : Location;

    /// <summary>Where <paramref name="key"/> itself is written (for notices about a field); the mapping when absent.</summary>
    public ConfigLocation KeyLocationOf(string key) => FindKey(key) is { } k ? At(k) : Location;

    /// <summary>A child mapping read as the root of paths (a resource's spec: paths start below it).</summary>
    public YamlReader? Root(string key)
    {
        var child = Map(key);
        return child is null ? null : new YamlReader(child._node, File, "", _sink);
    }

    public string PathOf(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>A key the schema knows but the embedded mesh does not emulate: read it and warn if present.</summary>
    public void NotEmulated(string key, string? why = null)
    {
        if (Take(key) is not null) _sink.Warn(KeyLocationOf(key), $"{PathOf(key)} is not emulated" + (why is null ? "" : $" ({why})"));
    }

    /// <summary>Marks a key as known and ignored without any notice (bookkeeping fields such as status).</summary>
    public void Ignore(string key) => Take(key);

    public void Warn(string key, string message) => _sink.Warn(KeyLocationOf(key), message);
    public void Warn(ConfigLocation at, string message) => _sink.Warn(at, message);

    /// <summary>The keys of this mapping, in file order (for maps whose keys are data, like header names).</summary>
    public IReadOnlyList<string> KeyNames() => _node.Children.Select(c => (c.Key as YamlScalarNode)?.Value ?? "").ToArray();
    public void Error(string key, string message) => _sink.Error(LocationOf(key), $"{PathOf(key)}: {message}");
    public void Error(ConfigLocation at, string message) => _sink.Error(at, message);

    public YamlReader? Map(string key)
    {
        var n = Take(key);
        if (n is null || IsNull(n)) return null;
        if (n is YamlMappingNode m) return new YamlReader(m, File, PathOf(key), _sink);
        _sink.Error(At(n), $"{PathOf(key)}: expected a mapping");
        return null;
    }

    public IReadOnlyList<YamlReader> MapList(string key)
    {
        var n = Take(key);
        if (n is null || IsNull(n)) return [];
        if (n is not YamlSequenceNode seq)
        {
            _sink.Error(At(n), $"{PathOf(key)}: expected a list");
            return [];
        }
        var list = new List<YamlReader>();
        var i = 0;
        foreach (var item in seq.Children)
        {
            if (item is YamlMappingNode m) list.Add(new YamlReader(m, File, $"{PathOf(key)}[{i}]", _sink));
            else _sink.Error(At(item), $"{PathOf(key)}[{i}]: expected a mapping");
            i++;
        }
        return list;
    }

    public string? String(string key)
    {
        var n = Take(key);
        if (n is null || IsNull(n)) return null;
        if (n is YamlScalarNode s) return s.Value ?? "";
        _sink.Error(At(n), $"{PathOf(key)}: expected a string");
        return null;
    }

    public IReadOnlyList<string> StringList(string key)
    {
        var n = Take(key);
        if (n is null || IsNull(n)) return [];
        if (n is YamlSequenceNode seq && seq.Children.All(c => c is YamlScalarNode))
            return seq.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToArray();
        _sink.Error(At(n), $"{PathOf(key)}: expected a list of strings");
        return [];
    }

    public IReadOnlyDictionary<string, string> StringMap(string key)
    {
        var n = Take(key);
        if (n is null || IsNull(n)) return new Dictionary<string, string>();
        if (n is YamlMappingNode m && m.Children.All(c => c.Key is YamlScalarNode && c.Value is YamlScalarNode))
            return m.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value ?? "", c => ((YamlScalarNode)c.Value).Value ?? "", StringComparer.Ordinal);
        _sink.Error(At(n), $"{PathOf(key)}: expected a map of strings");
        return new Dictionary<string, string>();
    }

    /// <summary>A YAML mapping of string keys to integers (e.g. locality distribute weights), with each key's location.</summary>
    public IReadOnlyList<(string Key, long Value, ConfigLocation At)> IntMap(string key)
    {
        var n = Take(key);
        if (n is null || IsNull(n)) return [];
        if (n is not YamlMappingNode m)
        {
            _sink.Error(At(n), $"{PathOf(key)}: expected a map");
            return [];
        }
        var list = new List<(string, long, ConfigLocation)>();
        foreach (var (k, v) in m.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (v is YamlScalarNode s && IsPlainInteger(s, out var value)) list.Add((name, value, At(k)));
            else _sink.Error(At(v), $"{PathOf(key)}.{name}: expected an integer");
        }
        return list;
    }

    public long? Int(string key, long min = long.MinValue, long max = long.MaxValue)
    {
        var n = Take(key);
        if (n is null || IsNull(n)) return null;
        if (n is YamlScalarNode s && IsPlainInteger(s, out var value))
        {
            if (value < min || value > max)
            {
                _sink.Error(At(n), $"{PathOf(key)}: {value} is out of range [{min}, {max}]");
                return null;
            }
            return value;
        }
        _sink.Error(At(n), $"{PathOf(key)}: expected an integer");
        return null;
    }

    public double? Double(string key, double min = double.MinValue, double max = double.MaxValue)
    {
        var n = Take(key);
        if (n is null || IsNull(n)) return null;
        if (n is YamlScalarNode { Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted) } s
            && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            if (value < min || value > max)
            {
                _sink.Error(At(n), $"{PathOf(key)}: {value.ToString(CultureInfo.InvariantCulture)} is out of range [{min}, {max}]");
                return null;
            }
            return value;
        }
        _sink.Error(At(n), $"{PathOf(key)}: expected a number");
        return null;
    }

    public bool? Bool(string key)
    {
        var n = Take(key);
        if (n is null || IsNull(n)) return null;
        if (n is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "true" or "false" } s) return s.Value == "true";
        _sink.Error(At(n), $"{PathOf(key)}: expected true or false");
        return null;
    }

    /// <summary>A protobuf Duration written the way Istio documents it (e.g. 30s, 1m, 1h, 500ms, 1.5s).</summary>
    public TimeSpan? Duration(string key, TimeSpan? min = null)
    {
        var n = Take(key);
        if (n is null || IsNull(n)) return null;
        if (n is YamlScalarNode s && IstioDuration.TryParse(s.Value, out var value))
        {
            if (min is { } m && value < m)
            {
                _sink.Error(At(n), $"{PathOf(key)}: {s.Value} is shorter than the minimum {IstioDuration.Format(m)}");
                return null;
            }
            return value;
        }
        _sink.Error(At(n), $"{PathOf(key)}: '{(n as YamlScalarNode)?.Value}' is not a duration (e.g. 30s, 1m, 500ms)");
        return null;
    }

    public T? Enum<T>(string key, IReadOnlyDictionary<string, T> values) where T : struct
    {
        var text = String(key);
        if (text is null) return null;
        if (values.TryGetValue(text, out var value)) return value;
        _sink.Error(LocationOf(key), $"{PathOf(key)}: '{text}' is not one of {string.Join(", ", values.Keys)}");
        return null;
    }

    /// <summary>Reports every key no reader asked for as an unknown field.</summary>
    public void Done()
    {
        foreach (var (k, _) in _node.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "?";
            if (!_read.Contains(name)) _sink.Error(At(k), $"unknown field \"{PathOf(name)}\"");
        }
    }

    private YamlNode? Take(string key)
    {
        _read.Add(key);
        return Find(key);
    }

    private YamlNode? FindKey(string key)
    {
        foreach (var (k, _) in _node.Children)
            if (k is YamlScalarNode { Value: var name } && name == key) return k;
        return null;
    }

    private YamlNode? Find(string key)
    {
        foreach (var (k, v) in _node.Children)
            if (k is YamlScalarNode { Value: var name } && name == key) return v;
        return null;
    }

    private static bool IsNull(YamlNode n) => n is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "" or "~" or "null" };

    private static bool IsPlainInteger(YamlScalarNode s, out long value)
    {
        value = 0;
        return s.Style == YamlDotNet.Core.ScalarStyle.Plain && long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}

/// <summary>Durations as Istio's API accepts them: a sequence of number+unit (h, m, s, ms, us, ns).</summary>
public static class IstioDuration
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var span = text.AsSpan().Trim();
        double totalTicks = 0;
        var any = false;
        while (span.Length > 0)
        {
            var i = 0;
            while (i < span.Length && (char.IsAsciiDigit(span[i]) || span[i] == '.')) i++;
            if (i == 0 || !double.TryParse(span[..i], NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return false;
            span = span[i..];
            var j = 0;
            while (j < span.Length && char.IsAsciiLetter(span[j]) || (j < span.Length && span[j] == 'µ')) j++;
            var unit = span[..j].ToString();
            span = span[j..];
            double ticksPerUnit = unit switch
            {
                "h" => TimeSpan.TicksPerHour,
                "m" => TimeSpan.TicksPerMinute,
                "s" => TimeSpan.TicksPerSecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "us" or "µs" => TimeSpan.TicksPerMicrosecond,
                "ns" => 0.01,
                _ => -1,
            };
            if (ticksPerUnit < 0) return false;
            totalTicks += number * ticksPerUnit;
            any = true;
        }
        if (!any || totalTicks > TimeSpan.MaxValue.Ticks) return false;
        value = TimeSpan.FromTicks((long)Math.Round(totalTicks));
        return true;
    }

    public static string Format(TimeSpan d) =>
        d.TotalHours >= 1 && d.Ticks % TimeSpan.TicksPerHour == 0 ? $"{(long)d.TotalHours}h"
        : d.TotalMinutes >= 1 && d.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{(long)d.TotalMinutes}m"
        : d.Ticks % TimeSpan.TicksPerSecond == 0 ? $"{(long)d.TotalSeconds}s"
        : $"{d.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms";
}
