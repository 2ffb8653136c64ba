using System.Globalization;
using System.Text;

namespace IndexForge.Resilience.Core.Metrics;

/// <summary>
/// Parser of the Prometheus text exposition format (version 0.0.4), strict enough to tell a valid
/// exposition from an invalid one: metric and label names, label escaping, values (incl. +Inf, -Inf,
/// NaN), optional timestamps, one TYPE per family declared before its samples, no duplicate series.
/// </summary>
public static class PrometheusText
{
    private static readonly HashSet<string> Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    /// <summary>Every sample of <paramref name="text"/>; throws <see cref="FormatException"/> naming the line of the first problem.</summary>
    public static IReadOnlyList<MetricSample> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<MetricSample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var helps = new HashSet<string>(StringComparer.Ordinal);
        var familiesWithSamples = new HashSet<string>(StringComparer.Ordinal);
        var series = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.EndsWith('\r') ? rawLine[..^1] : rawLine;
            if (line.Trim().Length == 0) continue;
            if (line.StartsWith('#'))
            {
                ParseComment(line, lineNumber, types, helps, familiesWithSamples);
                continue;
            }
            var sample = ParseSample(line, lineNumber);
            var family = FamilyOf(sample.Name, types);
            if (types.TryGetValue(family, out var type)) CheckSuffix(sample, family, type, lineNumber);
            familiesWithSamples.Add(family);
            if (!series.Add(SeriesKey(sample))) throw Error(lineNumber, $"duplicate series {SeriesKey(sample)}");
            samples.Add(sample);
        }
        return samples;
    }

    private static void ParseComment(string line, int lineNumber, Dictionary<string, string> types, HashSet<string> helps, HashSet<string> familiesWithSamples)
    {
        var parts = line.Split((char[]?)null, 4, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || parts[0] != "#" || (parts[1] != "TYPE" && parts[1] != "HELP")) return; // plain comment
        if (parts.Length < 3) throw Error(lineNumber, $"{parts[1]} without a metric name");
        var name = parts[2];
        if (!IsMetricName(name)) throw Error(lineNumber, $"invalid metric name '{name}'");
        if (parts[1] == "HELP")
        {
            if (!helps.Add(name)) throw Error(lineNumber, $"second HELP for {name}");
            return;
        }
        if (parts.Length < 4 || !Types.Contains(parts[3].Trim())) throw Error(lineNumber, $"TYPE of {name} must be one of {string.Join(", ", Types)}");
        if (types.ContainsKey(name)) throw Error(lineNumber, $"second TYPE for {name}");
        if (familiesWithSamples.Contains(name)) throw Error(lineNumber, $"TYPE for {name} after its samples");
        types[name] = parts[3].Trim();
    }

    private static MetricSample ParseSample(string line, int lineNumber)
    {
        var i = 0;
        while (i < line.Length && IsNameChar(line[i], i == 0)) i++;
        var name = line[..i];
        if (!IsMetricName(name)) throw Error(lineNumber, $"invalid metric name at '{Shorten(line)}'");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{') i = ParseLabels(line, i + 1, labels, lineNumber);
        if (i >= line.Length || (line[i] != ' ' && line[i] != '\t')) throw Error(lineNumber, "expected a space before the value");
        var rest = line[i..].Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length is < 1 or > 2) throw Error(lineNumber, "expected a value and an optional timestamp");
        var value = ParseValue(rest[0]) ?? throw Error(lineNumber, $"invalid value '{rest[0]}'");
        if (rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            throw Error(lineNumber, $"invalid timestamp '{rest[1]}'");
        return new MetricSample(name, labels, value);
    }

    private static int ParseLabels(string line, int i, Dictionary<string, string> labels, int lineNumber)
    {
        while (true)
        {
            while (i < line.Length && line[i] == ' ') i++;
            if (i < line.Length && line[i] == '}') return i + 1;
            var start = i;
            while (i < line.Length && IsLabelChar(line[i], i == start)) i++;
            var label = line[start..i];
            if (label.Length == 0) throw Error(lineNumber, "invalid label name");
            if (label.StartsWith("__", StringComparison.Ordinal)) throw Error(lineNumber, $"label name '{label}' is reserved");
            if (i >= line.Length || line[i] != '=') throw Error(lineNumber, $"expected '=' after label {label}");
            i++;
            if (i >= line.Length || line[i] != '"') throw Error(lineNumber, $"expected '\"' to open the value of {label}");
            i++;
            var value = new StringBuilder();
            while (true)
            {
                if (i >= line.Length) throw Error(lineNumber, $"unterminated value of label {label}");
                var c = line[i++];
                if (c == '"') break;
                if (c != '\\') { value.Append(c); continue; }
                if (i >= line.Length) throw Error(lineNumber, "dangling escape");
                value.Append(line[i++] switch
                {
                    '\\' => '\\',
                    '"' => '"',
                    'n' => '\n',
                    var other => throw Error(lineNumber, $"invalid escape '\\{other}' in label {label}"),
                });
            }
            if (!labels.TryAdd(label, value.ToString())) throw Error(lineNumber, $"duplicate label {label}");
            while (i < line.Length && line[i] == ' ') i++;
            if (i < line.Length && line[i] == ',') { i++; continue; }
            if (i < line.Length && line[i] == '}') return i + 1;
            throw Error(lineNumber, "expected ',' or '}' after a label");
        }
    }

    private static double? ParseValue(string text) => text switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null,
    };

    /// <summary>The family a sample belongs to: histogram and summary samples carry _bucket/_sum/_count suffixes.</summary>
    private static string FamilyOf(string name, Dictionary<string, string> types)
    {
        foreach (var suffix in (ReadOnlySpan<string>)["_bucket", "_sum", "_count"])
        {
            if (!name.EndsWith(suffix, StringComparison.Ordinal)) continue;
            var family = name[..^suffix.Length];
            if (types.TryGetValue(family, out var t) && (t == "histogram" || (t == "summary" && suffix != "_bucket"))) return family;
        }
        return name;
    }

    private static void CheckSuffix(MetricSample sample, string family, string type, int lineNumber)
    {
        if (type == "histogram" && sample.Name == family + "_bucket")
        {
            if (!sample.Labels.TryGetValue("le", out var le) || ParseValue(le) is null) throw Error(lineNumber, $"{sample.Name} needs a numeric 'le' label");
        }
        else if (type == "histogram" && sample.Name == family) throw Error(lineNumber, $"histogram {family} sample without _bucket/_sum/_count");
    }

    private static string SeriesKey(MetricSample s) =>
        s.Name + "{" + string.Join(",", s.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";

    private static bool IsMetricName(string name) => name.Length > 0 && name.Select((c, i) => IsNameChar(c, i == 0)).All(ok => ok);
    private static bool IsNameChar(char c, bool first) => char.IsAsciiLetter(c) || c == '_' || c == ':' || (!first && char.IsAsciiDigit(c));
    private static bool IsLabelChar(char c, bool first) => char.IsAsciiLetter(c) || c == '_' || (!first && char.IsAsciiDigit(c));
    private static string Shorten(string line) => line.Length > 60 ? line[..60] + "…" : line;
    private static FormatException Error(int line, string message) => new($"line {line}: {message}");
}
