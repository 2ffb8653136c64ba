using System.Security.Cryptography.X509Certificates;

namespace IndexForge.Resilience.Embedded.Prometheus;

/// <summary>What the embedded Prometheus scrapes and evaluates.</summary>
public sealed record EmbeddedPrometheusOptions
{
    /// <summary>Parent of the server's own temporary directory (config, CA files, TSDB); the directory is deleted at stop.</summary>
    public required string WorkDirectory { get; init; }
    public IReadOnlyList<PrometheusScrapeTarget> Targets { get; init; } = [];
    /// <summary>Absolute paths of rule files (the mesh configuration's prometheus/*.yaml).</summary>
    public IReadOnlyList<string> RuleFiles { get; init; } = [];
    /// <summary>The prometheus executable; null finds <c>prometheus</c> on PATH. Tests point it at a missing file to simulate its absence.</summary>
    public string? Executable { get; init; }
    public TimeSpan ReadyTimeout { get; init; } = EmbeddedPrometheusConstants.ReadyTimeout;

    /// <summary>Rule files of a mesh configuration directory: prometheus/*.yaml and *.yml (not its tests/).</summary>
    public static IReadOnlyList<string> RuleFilesOf(string meshConfigDirectory)
    {
        var dir = Path.Combine(meshConfigDirectory, "prometheus");
        return Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*.y*ml", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToList()
            : [];
    }
}

/// <summary>One scrape job: the URL's path and query become metrics_path and params; https uses <see cref="TrustedCa"/>.</summary>
public sealed record PrometheusScrapeTarget(string Job, Uri MetricsUrl, X509Certificate2? TrustedCa = null);

public static class EmbeddedPrometheusConstants
{
    public const string ExecutableName = "prometheus";
    public const string MeshJob = "istio-mesh";
    public const string VaultJob = "vault";
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    /// <summary>Scrape and rule evaluation every second, so an alert's timing is measured to the second.</summary>
    public const string Interval = "1s";
}
