namespace IndexForge.Resilience.Mesh.Config;

/// <summary>
/// Reads a DestinationRule spec with Istio's validation rules (istio/istio pkg/config/validation):
/// what the webhook would refuse is an error, what it accepts but the mesh does not emulate is a warning.
/// </summary>
internal static class DestinationRuleParser
{
    private static readonly TimeSpan OneMillisecond = TimeSpan.FromMilliseconds(1);

    private static readonly Dictionary<string, SimpleLb> SimpleValues = new(StringComparer.Ordinal)
    {
        ["UNSPECIFIED"] = SimpleLb.Unspecified, ["LEAST_CONN"] = SimpleLb.LeastConn, ["RANDOM"] = SimpleLb.Random,
        ["PASSTHROUGH"] = SimpleLb.Passthrough, ["ROUND_ROBIN"] = SimpleLb.RoundRobin, ["LEAST_REQUEST"] = SimpleLb.LeastRequest,
    };

    private static readonly Dictionary<string, ClientTlsMode> TlsModes = new(StringComparer.Ordinal)
    {
        ["DISABLE"] = ClientTlsMode.Disable, ["SIMPLE"] = ClientTlsMode.Simple, ["MUTUAL"] = ClientTlsMode.Mutual, ["ISTIO_MUTUAL"] = ClientTlsMode.IstioMutual,
    };

    public static (string Host, ConfigLocation HostAt, TrafficPolicy? Policy, IReadOnlyList<string> ExportTo, IReadOnlyDictionary<string, string>? Selector) Read(YamlReader spec)
    {
        var hostAt = spec.LocationOf("host");
        var host = spec.String("host");
        if (string.IsNullOrWhiteSpace(host)) spec.Error(hostAt, "host: a DestinationRule needs a host");
        var policy = ReadTrafficPolicy(spec.Map("trafficPolicy"));
        if (spec.MapList("subsets") is { Count: > 0 } subsets)
        {
            spec.Warn("subsets", $"subsets are not emulated ({subsets.Count} ignored; the embedded mesh routes to the whole host)");
            foreach (var s in subsets) s.Ignore("name"); // do not report their fields as unknown
        }
        var exportTo = spec.StringList("exportTo");
        IReadOnlyDictionary<string, string>? selector = null;
        if (spec.Map("workloadSelector") is { } ws)
        {
            selector = ws.StringMap("matchLabels");
            ws.Done();
        }
        spec.Done();
        return (host ?? "", hostAt, policy, exportTo, selector);
    }

    private static TrafficPolicy? ReadTrafficPolicy(YamlReader? tp)
    {
        if (tp is null) return null;
        var lb = ReadLoadBalancer(tp.Map("loadBalancer"));
        var pool = ReadConnectionPool(tp.Map("connectionPool"));
        var outlier = ReadOutlier(tp.Map("outlierDetection"));
        ClientTlsSettings? tls = null;
        if (tp.Map("tls") is { } t)
        {
            var mode = t.Enum("mode", TlsModes) ?? ClientTlsMode.Disable;
            if (mode is ClientTlsMode.Simple or ClientTlsMode.Mutual)
                t.Warn("mode", $"{t.PathOf("mode")} {mode} is not emulated (the embedded caller uses ISTIO_MUTUAL)");
            foreach (var k in (string[])["clientCertificate", "privateKey", "caCertificates", "credentialName", "subjectAltNames", "sni", "insecureSkipVerify", "caCrl"])
                t.NotEmulated(k);
            t.Done();
            tls = new ClientTlsSettings(mode);
        }
        tp.NotEmulated("portLevelSettings", "the embedded service has one port; port-level policy is ignored");
        tp.NotEmulated("tunnel");
        tp.NotEmulated("proxyProtocol");
        tp.Done();
        if (lb?.LocalityLbSetting is { } loc && (loc.Failover.Count > 0 || loc.FailoverPriority.Count > 0) && outlier is null)
            tp.Warn(loc.Location, "localityLbSetting failover has no effect without outlierDetection (Istio: \"outlier detection policy must be provided for failover\")");
        return new TrafficPolicy { LoadBalancer = lb, ConnectionPool = pool, OutlierDetection = outlier, Tls = tls };
    }

    private static LoadBalancerSettings? ReadLoadBalancer(YamlReader? lb)
    {
        if (lb is null) return null;
        var simple = lb.Enum("simple", SimpleValues) ?? SimpleLb.Unspecified;
        var hashed = false;
        if (lb.Has("consistentHash"))
        {
            if (lb.Has("simple")) lb.Error("consistentHash", "simple and consistentHash are mutually exclusive");
            lb.NotEmulated("consistentHash", "Istio's default LEAST_REQUEST is used");
            hashed = true;
        }
        if (simple == SimpleLb.Passthrough) lb.Warn("simple", $"{lb.PathOf("simple")} PASSTHROUGH is not emulated (LEAST_REQUEST is used)");
        lb.NotEmulated("warmupDurationSecs");
        lb.NotEmulated("warmup");
        var localityAt = lb.KeyLocationOf("localityLbSetting");
        var locality = ReadLocality(lb.Map("localityLbSetting")) is { } l ? l with { Location = localityAt } : null;
        lb.Done();
        return new LoadBalancerSettings { Simple = simple, ConsistentHash = hashed, LocalityLbSetting = locality };
    }

    private static LocalityLbSetting? ReadLocality(YamlReader? loc)
    {
        if (loc is null) return null;
        var enabled = loc.Bool("enabled");
        var distribute = new List<LocalityDistribute>();
        foreach (var d in loc.MapList("distribute"))
        {
            var from = d.String("from") ?? "";
            var to = d.IntMap("to");
            long total = 0;
            foreach (var (name, weight, at) in to)
            {
                if (weight is <= 0 or > 100) d.Error(at, $"{d.PathOf("to")}.{name}: locality weight must be in range [1, 100]");
                total += weight;
            }
            if (to.Count > 0 && total != 100) d.Error("to", $"total locality weight {total} != 100");
            d.Done();
            distribute.Add(new LocalityDistribute(from, to.Select(t => new KeyValuePair<string, uint>(t.Key, (uint)Math.Clamp(t.Value, 0, 100))).ToArray()));
        }
        var failover = new List<LocalityFailover>();
        foreach (var f in loc.MapList("failover"))
        {
            var from = f.String("from") ?? "";
            var to = f.String("to") ?? "";
            if (from == to) f.Error(f.Location, $"{f.Path}: locality lb failover settings must specify different regions");
            if (from.Contains('/') || to.Contains('/')) f.Error(f.Location, $"{f.Path}: locality lb failover only specify region");
            if (from.Contains('*') || to.Contains('*')) f.Error(f.Location, $"{f.Path}: locality lb failover region should not contain '*' wildcard");
            f.Done();
            failover.Add(new LocalityFailover(from, to));
        }
        var priority = loc.StringList("failoverPriority");
        if (distribute.Count > 0 && failover.Count > 0) loc.Error("distribute", "can not simultaneously specify 'distribute' and 'failover'");
        if (failover.Count > 0)
            foreach (var label in priority.Where(p => LocalityLabels.Topology.Contains(p.Split('=')[0])))
                loc.Error("failoverPriority", $"can not simultaneously set 'failover' and topology label '{label}' in 'failover_priority'");
        loc.Done();
        return new LocalityLbSetting { Enabled = enabled, Distribute = distribute, Failover = failover, FailoverPriority = priority };
    }

    private static ConnectionPoolSettings? ReadConnectionPool(YamlReader? pool)
    {
        if (pool is null) return null;
        var tcp = pool.Map("tcp");
        var http = pool.Map("http");
        if (tcp is null && http is null) pool.Error(pool.Location, $"{pool.Path}: connection pool must have at least one field");
        var settings = new ConnectionPoolSettings();
        if (tcp is not null)
        {
            settings = settings with
            {
                MaxConnections = (int?)tcp.Int("maxConnections", 0, int.MaxValue),
                ConnectTimeout = tcp.Duration("connectTimeout", OneMillisecond),
                MaxConnectionDuration = tcp.Duration("maxConnectionDuration", OneMillisecond),
            };
            tcp.NotEmulated("tcpKeepalive");
            tcp.NotEmulated("idleTimeout");
            tcp.Done();
        }
        if (http is not null)
        {
            settings = settings with
            {
                Http1MaxPendingRequests = (int?)http.Int("http1MaxPendingRequests", 0, int.MaxValue),
                Http2MaxRequests = (int?)http.Int("http2MaxRequests", 0, int.MaxValue),
                MaxRequestsPerConnection = (int?)http.Int("maxRequestsPerConnection", 0, int.MaxValue),
                MaxRetries = (int?)http.Int("maxRetries", 0, int.MaxValue),
                HttpIdleTimeout = http.Duration("idleTimeout", OneMillisecond),
            };
            http.NotEmulated("h2UpgradePolicy", "upstream connections are HTTP/1.1, Istio's default");
            http.NotEmulated("useClientProtocol");
            http.NotEmulated("maxConcurrentStreams", "HTTP/2 only");
            http.Done();
        }
        pool.Done();
        return settings;
    }

    private static OutlierDetectionSettings? ReadOutlier(YamlReader? od)
    {
        if (od is null) return null;
        var consecutiveErrorsAt = od.LocationOf("consecutiveErrors");
        var settings = new OutlierDetectionSettings
        {
            ConsecutiveErrors = (int?)od.Int("consecutiveErrors", 0, int.MaxValue),
            ConsecutiveErrorsLocation = consecutiveErrorsAt,
            Consecutive5xxErrors = (uint?)od.Int("consecutive5xxErrors", 0, uint.MaxValue),
            ConsecutiveGatewayErrors = (uint?)od.Int("consecutiveGatewayErrors", 0, uint.MaxValue),
            Interval = od.Duration("interval", OneMillisecond),
            BaseEjectionTime = od.Duration("baseEjectionTime", OneMillisecond),
            MaxEjectionPercent = (int)(od.Int("maxEjectionPercent", 0, 100) ?? 0),
            MinHealthPercent = (int)(od.Int("minHealthPercent", 0, 100) ?? 0),
            SplitExternalLocalOriginErrors = od.Bool("splitExternalLocalOriginErrors") ?? false,
            ConsecutiveLocalOriginFailures = (uint?)od.Int("consecutiveLocalOriginFailures", 0, uint.MaxValue),
        };
        if (settings.SplitExternalLocalOriginErrors)
            od.Warn("splitExternalLocalOriginErrors", $"{od.PathOf("splitExternalLocalOriginErrors")} is not emulated (local-origin failures count as 5xx, Envoy's unsplit mode)");
        if (settings.ConsecutiveLocalOriginFailures is not null)
            od.Warn("consecutiveLocalOriginFailures", $"{od.PathOf("consecutiveLocalOriginFailures")} is not emulated");
        od.Done();
        return settings;
    }
}

/// <summary>Kubernetes topology labels Istio gives special meaning in failoverPriority.</summary>
public static class LocalityLabels
{
    public const string Region = "topology.kubernetes.io/region";
    public const string Zone = "topology.kubernetes.io/zone";
    public const string Subzone = "topology.istio.io/subzone";
    public static readonly IReadOnlySet<string> Topology = new HashSet<string> { Region, Zone, Subzone };
}
