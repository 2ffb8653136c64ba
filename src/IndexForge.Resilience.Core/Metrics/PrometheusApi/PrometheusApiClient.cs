using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace IndexForge.Resilience.Core.Metrics.PrometheusApi;

/// <summary>
/// A small typed client of the Prometheus HTTP API (query, query_range, alerts, rules). The
/// <see cref="HttpClient"/> is the caller's: its BaseAddress is the server (a path prefix such as
/// a Kubernetes service proxy is kept), and its handler carries any authentication.
/// </summary>
public sealed class PrometheusApiClient(HttpClient http)
{
    private readonly HttpClient _http = http ?? throw new ArgumentNullException(nameof(http));

    /// <summary>Instant query at <paramref name="at"/> (the server's now when null).</summary>
    public async Task<PromQueryResult> QueryAsync(string promql, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(promql);
        var form = new List<KeyValuePair<string, string>> { new("query", promql) };
        if (at is { } t) form.Add(new("time", FormatTime(t)));
        using var doc = await PostAsync(PrometheusApiConstants.QueryPath, form, cancellationToken).ConfigureAwait(false);
        return ReadQueryResult(doc.RootElement);
    }

    /// <summary>Range query from <paramref name="start"/> to <paramref name="end"/> every <paramref name="step"/>.</summary>
    public async Task<PromQueryResult> QueryRangeAsync(
        string promql, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(promql);
        if (step <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(step), step, "step must be positive");
        if (end < start) throw new ArgumentOutOfRangeException(nameof(end), end, "end must not be before start");
        // Checked here so the caller learns the cause instead of Prometheus' generic bad_data.
        if ((end - start) / step > PrometheusApiConstants.MaxPointsPerSeries)
            throw new ArgumentOutOfRangeException(nameof(step), step,
                $"more than {PrometheusApiConstants.MaxPointsPerSeries} points per series; use a larger step");
        var form = new List<KeyValuePair<string, string>>
        {
            new("query", promql),
            new("start", FormatTime(start)),
            new("end", FormatTime(end)),
            new("step", step.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)),
        };
        using var doc = await PostAsync(PrometheusApiConstants.QueryRangePath, form, cancellationToken).ConfigureAwait(false);
        return ReadQueryResult(doc.RootElement);
    }

    /// <summary>Every active (pending or firing) alert.</summary>
    public async Task<IReadOnlyList<PromAlert>> AlertsAsync(CancellationToken cancellationToken = default)
    {
        using var doc = await GetAsync(PrometheusApiConstants.AlertsPath, cancellationToken).ConfigureAwait(false);
        var data = Data(doc.RootElement);
        return data.TryGetProperty("alerts", out var alerts) ? alerts.EnumerateArray().Select(ReadAlert).ToList() : [];
    }

    /// <summary>Rule groups; <paramref name="type"/> "alert" or "record" filters as the API does.</summary>
    public async Task<IReadOnlyList<PromRuleGroup>> RulesAsync(string? type = null, CancellationToken cancellationToken = default)
    {
        var path = type is null ? PrometheusApiConstants.RulesPath : $"{PrometheusApiConstants.RulesPath}?type={Uri.EscapeDataString(type)}";
        using var doc = await GetAsync(path, cancellationToken).ConfigureAwait(false);
        var data = Data(doc.RootElement);
        if (!data.TryGetProperty("groups", out var groups)) return [];
        return groups.EnumerateArray().Select(g => new PromRuleGroup(
                Str(g, "name"),
                Str(g, "file"),
                Seconds(g, "interval"),
                g.TryGetProperty("rules", out var rules) ? rules.EnumerateArray().Select(ReadRule).ToList() : []))
            .ToList();
    }

    private async Task<JsonDocument> PostAsync(string path, List<KeyValuePair<string, string>> form, CancellationToken ct)
    {
        // POST keeps long PromQL out of URLs and proxy logs; Prometheus accepts form bodies for both query endpoints.
        using var content = new FormUrlEncodedContent(form);
        using var response = await _http.PostAsync(path, content, ct).ConfigureAwait(false);
        return await ReadAsync(response, path, ct).ConfigureAwait(false);
    }

    private async Task<JsonDocument> GetAsync(string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        return await ReadAsync(response, path, ct).ConfigureAwait(false);
    }

    private static async Task<JsonDocument> ReadAsync(HttpResponseMessage response, string path, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new PrometheusApiException(
                $"{path}: HTTP {(int)response.StatusCode}, not a Prometheus API answer: {Truncate(body)}", (int)response.StatusCode, inner: e);
        }
        var root = doc.RootElement;
        var status = root.ValueKind == JsonValueKind.Object ? Str(root, "status") : "";
        if (status == "success" && response.IsSuccessStatusCode) return doc;
        using (doc)
        {
            var errorType = root.ValueKind == JsonValueKind.Object ? Str(root, "errorType") : "";
            var error = root.ValueKind == JsonValueKind.Object ? Str(root, "error") : "";
            throw new PrometheusApiException(
                $"{path}: HTTP {(int)response.StatusCode} {errorType}: {(error.Length > 0 ? error : Truncate(body))}",
                (int)response.StatusCode, errorType.Length > 0 ? errorType : null);
        }
    }

    private static PromQueryResult ReadQueryResult(JsonElement root)
    {
        var data = Data(root);
        var type = Str(data, "resultType");
        var warnings = root.TryGetProperty("warnings", out var w) ? w.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : [];
        var result = data.GetProperty("result");
        IReadOnlyList<PromSeries> series = type switch
        {
            PromResultTypes.Vector => result.EnumerateArray()
                .Select(s => new PromSeries(Labels(s, "metric"), [ReadPoint(s.GetProperty("value"))])).ToList(),
            PromResultTypes.Matrix => result.EnumerateArray()
                .Select(s => new PromSeries(Labels(s, "metric"), s.GetProperty("values").EnumerateArray().Select(ReadPoint).ToList())).ToList(),
            PromResultTypes.Scalar => [new PromSeries(new Dictionary<string, string>(), [ReadPoint(result)])],
            // A string result has no numeric value; keep its text as a label so nothing is lost.
            PromResultTypes.String => [new PromSeries(new Dictionary<string, string> { ["value"] = result[1].GetString() ?? "" }, [])],
            _ => throw new PrometheusApiException($"unknown resultType '{type}'", 200),
        };
        return new PromQueryResult(type, series, warnings);
    }

    private static PromAlert ReadAlert(JsonElement a) => new(
        Labels(a, "labels"),
        Labels(a, "annotations"),
        Str(a, "state"),
        a.TryGetProperty("activeAt", out var at) && at.ValueKind == JsonValueKind.String
            ? DateTimeOffset.Parse(at.GetString()!, CultureInfo.InvariantCulture) : null,
        a.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? ParseValue(v.GetString()!) : double.NaN);

    private static PromRule ReadRule(JsonElement r) => new(
        Str(r, "name"),
        Str(r, "query"),
        Str(r, "type"),
        Str(r, "health"),
        r.TryGetProperty("state", out var s) ? s.GetString() : null,
        Seconds(r, "duration"),
        Labels(r, "labels"),
        Labels(r, "annotations"),
        r.TryGetProperty("alerts", out var alerts) && alerts.ValueKind == JsonValueKind.Array ? alerts.EnumerateArray().Select(ReadAlert).ToList() : [],
        r.TryGetProperty("lastError", out var e) && e.GetString() is { Length: > 0 } err ? err : null);

    private static JsonElement Data(JsonElement root) =>
        root.TryGetProperty("data", out var data) ? data : throw new PrometheusApiException("answer has no data", 200);

    private static PromPoint ReadPoint(JsonElement pair) =>
        new(DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(pair[0].GetDouble() * 1000)), ParseValue(pair[1].GetString() ?? "NaN"));

    /// <summary>Prometheus formats special values as NaN, +Inf and -Inf, which .NET does not parse by itself.</summary>
    public static double ParseValue(string text) => text switch
    {
        "NaN" => double.NaN,
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static IReadOnlyDictionary<string, string> Labels(JsonElement e, string property)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (e.TryGetProperty(property, out var obj) && obj.ValueKind == JsonValueKind.Object)
            foreach (var p in obj.EnumerateObject()) map[p.Name] = p.Value.GetString() ?? "";
        return map;
    }

    private static string Str(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static TimeSpan Seconds(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Number ? TimeSpan.FromSeconds(v.GetDouble()) : TimeSpan.Zero;

    private static string FormatTime(DateTimeOffset t) =>
        (t.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    private static string Truncate(string s) => s.Length <= 200 ? s : s[..200] + "…";
}
