using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Reports.Json;

/// <summary>
/// summary.json: <see cref="RunResult"/> serialised with camelCase names, enums as camelCase strings,
/// durations and offsets (every <see cref="TimeSpan"/>) as seconds, instants as ISO 8601, and the schema
/// version <see cref="RunResult.CurrentSchemaVersion"/> (docs/summary-schema.md, docs/summary.schema.json).
/// </summary>
public static class SummaryJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static string Serialize(RunResult run) => JsonSerializer.Serialize(run, Options) + "\n";

    /// <summary>Reads a summary.json written by this or a compatible version (same major schema version).</summary>
    /// <exception cref="SummaryFormatException">The file is missing, not JSON, not a summary, or of another major version.</exception>
    public static RunResult Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SummaryFormatException($"{path}: cannot read: {e.Message}", e);
        }
        return Deserialize(text, path);
    }

    public static RunResult Deserialize(string json, string source = "summary.json")
    {
        try
        {
            using (var doc = JsonDocument.Parse(json))
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                    throw new SummaryFormatException($"{source}: not a summary (the top level is not an object)");
                if (!doc.RootElement.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.String)
                    throw new SummaryFormatException($"{source}: not a summary (no schemaVersion)");
                CheckVersion(version.GetString()!, source);
            }
            return JsonSerializer.Deserialize<RunResult>(json, Options)
                ?? throw new SummaryFormatException($"{source}: empty summary");
        }
        catch (JsonException e)
        {
            var where = e.Path is null ? "" : $" at {e.Path}";
            throw new SummaryFormatException($"{source}: invalid summary{where}: {e.Message}", e);
        }
    }

    private static void CheckVersion(string version, string source)
    {
        static string Major(string v) => v.Split('.')[0];
        if (Major(version) != Major(RunResult.CurrentSchemaVersion))
            throw new SummaryFormatException(
                $"{source}: schema version {version} is not readable by this tool (reads {Major(RunResult.CurrentSchemaVersion)}.x)");
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            IndentSize = 2,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            // Readable output (no \u003C for <); summary.json is never embedded in HTML.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            RespectRequiredConstructorParameters = true,
            RespectNullableAnnotations = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new SecondsTimeSpanConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>summary.json could not be read as a run result.</summary>
public sealed class SummaryFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A <see cref="TimeSpan"/> as a number of seconds (ticks precision, so it round-trips exactly).</summary>
public sealed class SecondsTimeSpanConverter : JsonConverter<TimeSpan>
{
    private const double TicksPerSecond = TimeSpan.TicksPerSecond;

    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number) throw new JsonException("a duration must be a number of seconds");
        var seconds = reader.GetDouble();
        if (!double.IsFinite(seconds) || Math.Abs(seconds) > TimeSpan.MaxValue.TotalSeconds)
            throw new JsonException($"duration {seconds} s is out of range");
        return TimeSpan.FromTicks((long)Math.Round(seconds * TicksPerSecond));
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(Math.Round(value.Ticks / TicksPerSecond, 7));
}
