namespace IndexForge.Resilience.Mesh.Config;

/// <summary>Reads a VirtualService spec: hosts, gateways and the HTTP routes' match, timeout, retries and fault.</summary>
internal static class VirtualServiceParser
{
    private static readonly TimeSpan OneMillisecond = TimeSpan.FromMilliseconds(1);

    public static (IReadOnlyList<string> Hosts, IReadOnlyList<string> Gateways, IReadOnlyList<HttpRoute> Http, IReadOnlyList<string> ExportTo) Read(YamlReader spec)
    {
        var hosts = spec.StringList("hosts");
        var gateways = spec.StringList("gateways");
        var routes = spec.MapList("http").Select(ReadRoute).ToArray();
        spec.NotEmulated("tls");
        spec.NotEmulated("tcp");
        var exportTo = spec.StringList("exportTo");
        spec.Done();
        return (hosts, gateways, routes, exportTo);
    }

    private static HttpRoute ReadRoute(YamlReader r)
    {
        var name = r.String("name") ?? "";
        var matches = r.MapList("match").Select(ReadMatch).ToArray();
        var destinations = new List<string>();
        var route = r.MapList("route");
        foreach (var d in route)
        {
            if (d.Map("destination") is { } dest)
            {
                var host = dest.String("host");
                if (string.IsNullOrEmpty(host)) dest.Error(dest.Location, $"{dest.Path}.host: a destination needs a host");
                else destinations.Add(host);
                dest.NotEmulated("subset");
                dest.Ignore("port");
                dest.Done();
            }
            else d.Error(d.Location, $"{d.Path}: a route needs a destination");
            if (route.Count > 1) d.NotEmulated("weight", "weighted routing between destinations");
            else d.Ignore("weight");
            d.NotEmulated("headers");
            d.Done();
        }
        var timeout = r.Duration("timeout", TimeSpan.Zero);
        var retries = ReadRetries(r.Map("retries"));
        var fault = ReadFault(r.Map("fault"));
        foreach (var k in (string[])["redirect", "directResponse", "delegate", "rewrite", "mirror", "mirrorPercentage", "mirrorPercent", "mirrors", "corsPolicy", "headers"])
            r.NotEmulated(k);
        r.Done();
        return new HttpRoute { Name = name, Match = matches, Destinations = destinations, Timeout = timeout, Retries = retries, Fault = fault, Location = r.Location };
    }

    private static HttpMatch ReadMatch(YamlReader m)
    {
        var uri = ReadStringMatch(m.Map("uri"));
        var method = ReadStringMatch(m.Map("method"));
        var headers = new Dictionary<string, StringMatch>(StringComparer.OrdinalIgnoreCase);
        if (m.Map("headers") is { } h)
        {
            foreach (var name in h.KeyNames())
                if (ReadStringMatch(h.Map(name)) is { } sm) headers[name] = sm;
            h.Done();
        }
        m.Ignore("name");
        foreach (var k in (string[])["scheme", "authority", "port", "sourceLabels", "gateways", "queryParams", "ignoreUriCase", "withoutHeaders", "sourceNamespace", "statPrefix"])
            m.NotEmulated(k, "the condition is ignored, so the route may match more requests");
        m.Done();
        return new HttpMatch { Uri = uri, Method = method, Headers = headers };
    }

    private static StringMatch? ReadStringMatch(YamlReader? s)
    {
        if (s is null) return null;
        StringMatch? match = null;
        var count = 0;
        if (s.String("exact") is { } e) { match = new(StringMatchKind.Exact, e); count++; }
        if (s.String("prefix") is { } p) { match = new(StringMatchKind.Prefix, p); count++; }
        if (s.String("regex") is { } r)
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(r);
                match = new(StringMatchKind.Regex, r);
            }
            catch (ArgumentException ex)
            {
                s.Error("regex", $"invalid regular expression: {ex.Message}");
            }
            count++;
        }
        if (count > 1) s.Error(s.Location, $"{s.Path}: exact, prefix and regex are mutually exclusive");
        s.Done();
        return match;
    }

    private static HttpRetry? ReadRetries(YamlReader? r)
    {
        if (r is null) return null;
        var retry = new HttpRetry
        {
            Attempts = (int)(r.Int("attempts", 0, int.MaxValue) ?? 0),
            PerTryTimeout = r.Duration("perTryTimeout", OneMillisecond),
            RetryOn = r.String("retryOn"),
            RetryIgnorePreviousHosts = r.Bool("retryIgnorePreviousHosts"),
        };
        r.NotEmulated("retryRemoteLocalities");
        r.NotEmulated("backoff", "Envoy's default 25 ms base interval is used");
        if (retry.RetryOn is { } on)
            foreach (var part in on.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                if (!int.TryParse(part, out _) && !RetryOnConditions.Known.Contains(part))
                    r.Error("retryOn", $"'{part}' is not a valid retryOn condition");
        r.Done();
        return retry;
    }

    private static HttpFault? ReadFault(YamlReader? f)
    {
        if (f is null) return null;
        FaultDelay? delay = null;
        if (f.Map("delay") is { } d)
        {
            var fixedDelay = d.Duration("fixedDelay", OneMillisecond);
            d.NotEmulated("exponentialDelay");
            var percent = ReadPercent(d, "delay");
            if (fixedDelay is null && !d.Has("exponentialDelay")) d.Error(d.Location, $"{d.Path}: a delay needs fixedDelay");
            d.Done();
            if (fixedDelay is { } fd) delay = new FaultDelay(fd, percent);
        }
        FaultAbort? abort = null;
        if (f.Map("abort") is { } a)
        {
            var status = a.Int("httpStatus", 200, 599);
            a.NotEmulated("grpcStatus");
            a.NotEmulated("http2Error");
            var percent = ReadPercent(a, "abort");
            if (status is null && !a.Has("grpcStatus") && !a.Has("http2Error")) a.Error(a.Location, $"{a.Path}: an abort needs httpStatus");
            a.Done();
            if (status is { } s) abort = new FaultAbort((int)s, percent);
        }
        f.Done();
        return new HttpFault { Delay = delay, Abort = abort };
    }

    /// <summary>percentage.value, or the deprecated integer percent; unset means 0% (Istio: "if left unspecified, no request will be …").</summary>
    private static double ReadPercent(YamlReader r, string what)
    {
        if (r.Map("percentage") is { } p)
        {
            var value = p.Double("value", 0, 100) ?? 0;
            p.Done();
            r.Ignore("percent");
            return value;
        }
        if (r.Int("percent", 0, 100) is { } legacy) return legacy;
        r.Warn(r.Location, $"{r.Path}: no percentage, so Istio applies this {what} to no request");
        return 0;
    }
}

/// <summary>Envoy retry_on conditions (x-envoy-retry-on and gRPC ones) a VirtualService may name.</summary>
public static class RetryOnConditions
{
    public const string FiveXx = "5xx";
    public const string GatewayError = "gateway-error";
    public const string Reset = "reset";
    public const string ConnectFailure = "connect-failure";
    public const string RefusedStream = "refused-stream";
    public const string RetriableStatusCodes = "retriable-status-codes";
    public const string Unavailable = "unavailable";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        FiveXx, GatewayError, Reset, ConnectFailure, "envoy-ratelimited", "retriable-4xx", RefusedStream, RetriableStatusCodes,
        "retriable-headers", "http3-post-connect-failure", "reset-before-request", Cancelled, "deadline-exceeded", "internal",
        "resource-exhausted", Unavailable,
    };
}
