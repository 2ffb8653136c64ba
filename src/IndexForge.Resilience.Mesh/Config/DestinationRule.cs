namespace IndexForge.Resilience.Mesh.Config;

/// <summary>networking.istio.io DestinationRule, the fields the embedded mesh emulates (others become warnings).</summary>
public sealed record DestinationRule : IstioResource
{
    public required string Host { get; init; }
    public ConfigLocation HostLocation { get; init; }
    public TrafficPolicy? TrafficPolicy { get; init; }
    public IReadOnlyList<string> ExportTo { get; init; } = [];
    /// <summary>A DestinationRule with a workloadSelector applies only to the selected client workloads.</summary>
    public IReadOnlyDictionary<string, string>? WorkloadSelector { get; init; }
}

public sealed record TrafficPolicy
{
    public LoadBalancerSettings? LoadBalancer { get; init; }
    public ConnectionPoolSettings? ConnectionPool { get; init; }
    public OutlierDetectionSettings? OutlierDetection { get; init; }
    public ClientTlsSettings? Tls { get; init; }
}

public enum SimpleLb { Unspecified, LeastConn, Random, Passthrough, RoundRobin, LeastRequest }

public sealed record LoadBalancerSettings
{
    public SimpleLb Simple { get; init; }
    /// <summary>True when consistentHash was set (not emulated; Istio's default algorithm is used instead).</summary>
    public bool ConsistentHash { get; init; }
    public LocalityLbSetting? LocalityLbSetting { get; init; }
}

public sealed record LocalityLbSetting
{
    public ConfigLocation Location { get; init; }
    public bool? Enabled { get; init; }
    public IReadOnlyList<LocalityDistribute> Distribute { get; init; } = [];
    public IReadOnlyList<LocalityFailover> Failover { get; init; } = [];
    public IReadOnlyList<string> FailoverPriority { get; init; } = [];
}

public sealed record LocalityDistribute(string From, IReadOnlyList<KeyValuePair<string, uint>> To);

public sealed record LocalityFailover(string From, string To);

public sealed record ConnectionPoolSettings
{
    public int? MaxConnections { get; init; }
    public TimeSpan? ConnectTimeout { get; init; }
    public TimeSpan? MaxConnectionDuration { get; init; }
    public int? Http1MaxPendingRequests { get; init; }
    public int? Http2MaxRequests { get; init; }
    public int? MaxRequestsPerConnection { get; init; }
    public int? MaxRetries { get; init; }
    public TimeSpan? HttpIdleTimeout { get; init; }
}

/// <summary>DestinationRule outlierDetection exactly as written (null = not set); see OutlierDetectorSettings for what Envoy gets.</summary>
public sealed record OutlierDetectionSettings
{
    public int? ConsecutiveErrors { get; init; }
    public ConfigLocation ConsecutiveErrorsLocation { get; init; }
    public uint? Consecutive5xxErrors { get; init; }
    public uint? ConsecutiveGatewayErrors { get; init; }
    public TimeSpan? Interval { get; init; }
    public TimeSpan? BaseEjectionTime { get; init; }
    public int MaxEjectionPercent { get; init; }
    public int MinHealthPercent { get; init; }
    public bool SplitExternalLocalOriginErrors { get; init; }
    public uint? ConsecutiveLocalOriginFailures { get; init; }
}

public enum ClientTlsMode { Disable, Simple, Mutual, IstioMutual }

public sealed record ClientTlsSettings(ClientTlsMode Mode);
