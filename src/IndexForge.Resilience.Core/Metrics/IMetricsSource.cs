namespace IndexForge.Resilience.Core.Metrics;

/// <summary>Reads the target's metrics (mesh /metrics, Vault metrics, or a Prometheus server).</summary>
public interface IMetricsSource
{
    Task<MetricSet> ScrapeAsync(CancellationToken cancellationToken);
}

/// <summary>One sample of the Prometheus data model.</summary>
public sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string Label(string name) => Labels.TryGetValue(name, out var v) ? v : "";
}

/// <summary>A scrape: every sample, with helpers to sum by name and label filters.</summary>
public sealed record MetricSet(DateTimeOffset At, IReadOnlyList<MetricSample> Samples)
{
    public static MetricSet Empty(DateTimeOffset at) => new(at, []);

    public IEnumerable<MetricSample> Named(string name) => Samples.Where(s => s.Name == name);

    /// <summary>Sum of the samples of <paramref name="name"/> whose labels match every filter.</summary>
    public double Sum(string name, params (string Label, string Value)[] filters) =>
        Named(name).Where(s => filters.All(f => s.Label(f.Label) == f.Value)).Sum(s => s.Value);

    public MetricSet Merge(MetricSet other) => new(At > other.At ? At : other.At, [.. Samples, .. other.Samples]);
}
