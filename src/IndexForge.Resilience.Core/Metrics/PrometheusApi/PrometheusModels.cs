namespace IndexForge.Resilience.Core.Metrics.PrometheusApi;

/// <summary>Result types of the query API (<c>data.resultType</c>).</summary>
public static class PromResultTypes
{
    public const string Vector = "vector";
    public const string Matrix = "matrix";
    public const string Scalar = "scalar";
    public const string String = "string";
}

/// <summary>One sample of a series. Prometheus sends values as strings ("NaN", "+Inf" included).</summary>
public readonly record struct PromPoint(DateTimeOffset At, double Value);

/// <summary>A series of an instant (one point) or range (many points) query; a scalar has no labels.</summary>
public sealed record PromSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<PromPoint> Points)
{
    /// <summary>The metric name (<c>__name__</c>), empty after aggregations that drop it.</summary>
    public string Name => Labels.TryGetValue("__name__", out var n) ? n : "";

    /// <summary>The last point's value; NaN for a series without points.</summary>
    public double LastValue => Points.Count == 0 ? double.NaN : Points[^1].Value;
}

/// <summary>The <c>data</c> of a successful query or query_range answer.</summary>
public sealed record PromQueryResult(string ResultType, IReadOnlyList<PromSeries> Series, IReadOnlyList<string> Warnings)
{
    /// <summary>
    /// The result as <see cref="MetricSample"/>s (last point of each series), named <paramref name="name"/>
    /// or, when null, by the series' own <c>__name__</c>; that label is not repeated among the labels.
    /// </summary>
    public IReadOnlyList<MetricSample> ToSamples(string? name = null) =>
        Series.Select(s => new MetricSample(
                name ?? s.Name,
                s.Labels.Where(l => l.Key != "__name__").ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal),
                s.LastValue))
            .ToList();

    /// <summary>The single value of a scalar, or of a one-series vector; throws otherwise.</summary>
    public double SingleValue()
    {
        if (Series.Count != 1 || Series[0].Points.Count == 0)
            throw new InvalidOperationException($"expected exactly one {ResultType} value, got {Series.Count} series");
        return Series[0].LastValue;
    }
}

/// <summary>An alert as <c>/api/v1/alerts</c> lists it (pending or firing).</summary>
public sealed record PromAlert(
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    string State,
    DateTimeOffset? ActiveAt,
    double Value)
{
    public string Name => Labels.TryGetValue("alertname", out var n) ? n : "";
    public bool Firing => State == PromAlertStates.Firing;
}

public static class PromAlertStates
{
    public const string Inactive = "inactive";
    public const string Pending = "pending";
    public const string Firing = "firing";
}

/// <summary>A rule of <c>/api/v1/rules</c>; <see cref="State"/>, <see cref="Duration"/> and <see cref="Alerts"/> are for alerting rules only.</summary>
public sealed record PromRule(
    string Name,
    string Query,
    string Type,
    string Health,
    string? State,
    TimeSpan Duration,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyList<PromAlert> Alerts,
    string? LastError);

public sealed record PromRuleGroup(string Name, string File, TimeSpan Interval, IReadOnlyList<PromRule> Rules);

/// <summary>Prometheus answered <c>status: error</c>, or something that is not its API.</summary>
public sealed class PrometheusApiException(string message, int statusCode, string? errorType = null, Exception? inner = null)
    : Exception(message, inner)
{
    public int StatusCode { get; } = statusCode;
    /// <summary>Prometheus' <c>errorType</c> (bad_data, execution, timeout, ...), when it sent one.</summary>
    public string? ErrorType { get; } = errorType;
}
