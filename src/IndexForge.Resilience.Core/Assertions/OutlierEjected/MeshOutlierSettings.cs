using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace IndexForge.Resilience.Core.Assertions.OutlierEjected;

/// <summary>
/// The outlierDetection settings of the mesh configuration's DestinationRules (largest values when
/// several rules set them), read so the return bound follows the configuration. Envoy's defaults
/// apply to what no rule sets.
/// </summary>
public sealed partial record MeshOutlierSettings(TimeSpan BaseEjectionTime, TimeSpan Interval, int? MaxEjectionPercent, bool Found)
{
    public static readonly MeshOutlierSettings EnvoyDefaults = new(
        OutlierEjectedConstants.EnvoyBaseEjectionTime, OutlierEjectedConstants.EnvoyInterval, null, false);

    public static MeshOutlierSettings Read(string? meshDirectory)
    {
        if (meshDirectory is null || !Directory.Exists(meshDirectory)) return EnvoyDefaults;
        TimeSpan? baseTime = null, interval = null;
        int? maxPercent = null;
        var found = false;
        foreach (var file in Directory.EnumerateFiles(meshDirectory, "*.y*ml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            try
            {
                using var reader = File.OpenText(file);
                stream.Load(reader);
            }
            catch (YamlDotNet.Core.YamlException) { continue; } // not ours to lint here
            foreach (var od in stream.Documents.SelectMany(d => Find(d.RootNode)))
            {
                found = true;
                if (Scalar(od, "baseEjectionTime") is { } b && ParseDuration(b) is { } bt) baseTime = Max(baseTime, bt);
                if (Scalar(od, "interval") is { } i && ParseDuration(i) is { } it) interval = Max(interval, it);
                if (Scalar(od, "maxEjectionPercent") is { } m && int.TryParse(m, NumberStyles.Integer, CultureInfo.InvariantCulture, out var mp))
                    maxPercent = Math.Max(maxPercent ?? 0, mp);
            }
        }
        return new MeshOutlierSettings(baseTime ?? EnvoyDefaults.BaseEjectionTime, interval ?? EnvoyDefaults.Interval, maxPercent, found);
    }

    private static TimeSpan Max(TimeSpan? a, TimeSpan b) => a is { } x && x > b ? x : b;

    private static IEnumerable<YamlMappingNode> Find(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (k, v) in map.Children)
                {
                    if (k is YamlScalarNode { Value: "outlierDetection" } && v is YamlMappingNode od) yield return od;
                    else foreach (var inner in Find(v)) yield return inner;
                }
                break;
            case YamlSequenceNode seq:
                foreach (var inner in seq.Children.SelectMany(Find)) yield return inner;
                break;
        }
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;

    [GeneratedRegex(@"^(?<n>\d+(?:\.\d+)?)(?<u>ms|s|m|h)$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationShape();

    /// <summary>Istio (protobuf) durations: 500ms, 30s, 1m, 1h.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        var m = DurationShape().Match(text.Trim());
        if (!m.Success) return null;
        var n = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
        return m.Groups["u"].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            _ => TimeSpan.FromHours(n),
        };
    }
}
