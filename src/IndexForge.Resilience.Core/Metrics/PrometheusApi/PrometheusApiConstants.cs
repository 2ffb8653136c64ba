namespace IndexForge.Resilience.Core.Metrics.PrometheusApi;

public static class PrometheusApiConstants
{
    public const string QueryPath = "api/v1/query";
    public const string QueryRangePath = "api/v1/query_range";
    public const string AlertsPath = "api/v1/alerts";
    public const string RulesPath = "api/v1/rules";
    /// <summary>Prometheus refuses a range query with more than 11,000 points per series.</summary>
    public const int MaxPointsPerSeries = 11_000;
}
