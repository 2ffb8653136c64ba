namespace IndexForge.Resilience.Mesh.Config;

/// <summary>
/// A loaded set of Istio resources and the warnings reading them produced. The Resolve methods apply
/// Istio's precedence to answer what one caller sees for one service and what one workload enforces.
/// </summary>
public sealed class MeshConfig
{
    internal MeshConfig(IReadOnlyList<IstioResource> resources, IReadOnlyList<ConfigDiagnostic> warnings, IReadOnlyList<string> files, MeshConfigLoadOptions options)
    {
        Resources = resources;
        Warnings = warnings;
        Files = files;
        Options = options;
    }

    /// <summary>An empty configuration: Istio defaults everywhere.</summary>
    public static MeshConfig Empty { get; } = new([], [], [], new MeshConfigLoadOptions());

    public IReadOnlyList<IstioResource> Resources { get; }
    public IReadOnlyList<ConfigDiagnostic> Warnings { get; }
    public IReadOnlyList<string> Files { get; }
    public MeshConfigLoadOptions Options { get; }

    public IEnumerable<DestinationRule> DestinationRules => Resources.OfType<DestinationRule>();
    public IEnumerable<VirtualService> VirtualServices => Resources.OfType<VirtualService>();
    public IEnumerable<PeerAuthentication> PeerAuthentications => Resources.OfType<PeerAuthentication>();
    public IEnumerable<AuthorizationPolicy> AuthorizationPolicies => Resources.OfType<AuthorizationPolicy>();

    /// <summary>What a caller in <paramref name="callerNamespace"/> with <paramref name="callerLabels"/> applies to traffic for <paramref name="serviceHost"/>.</summary>
    public ServiceConfig ResolveService(string serviceHost, string callerNamespace, IReadOnlyDictionary<string, string>? callerLabels = null)
    {
        callerLabels ??= new Dictionary<string, string>();
        var warnings = new List<ConfigDiagnostic>();
        var dr = ResolveDestinationRule(serviceHost, callerNamespace, callerLabels, warnings);
        var vs = ResolveVirtualService(serviceHost, callerNamespace, warnings);
        return new ServiceConfig(serviceHost, dr.Rule, dr.Policy, vs, warnings);
    }

    private (DestinationRule? Rule, TrafficPolicy? Policy) ResolveDestinationRule(
        string service, string callerNs, IReadOnlyDictionary<string, string> callerLabels, List<ConfigDiagnostic> warnings)
    {
        var candidates = new List<(DestinationRule Rule, string Host)>();
        foreach (var dr in DestinationRules)
        {
            var host = HostMatching.Qualify(dr.Host, dr.Namespace);
            if (!HostMatching.Matches(host, service))
            {
                warnings.Add(new(dr.HostLocation, $"DestinationRule {dr.Name} (host {dr.Host}) does not match {service}; not applied"));
                continue;
            }
            if (!Visible(dr.ExportTo, dr.Namespace, callerNs))
            {
                warnings.Add(new(dr.Location, $"DestinationRule {dr.Name} is not exported to namespace {callerNs}; not applied"));
                continue;
            }
            if (dr.WorkloadSelector is not null && (dr.Namespace != callerNs || !HostMatching.Selects(dr.WorkloadSelector, callerLabels)))
            {
                warnings.Add(new(dr.Location, $"DestinationRule {dr.Name} selects other workloads than the caller; not applied"));
                continue;
            }
            candidates.Add((dr, host));
        }
        if (candidates.Count == 0) return (null, null);

        // Istio looks in the caller's namespace first, then the service's, then the root namespace;
        // within one, the most specific host wins and same-host rules merge (oldest traffic policy wins).
        var serviceNs = service.Split('.') is { Length: > 1 } parts ? parts[1] : callerNs;
        var byNamespace = candidates
            .OrderBy(c => c.Rule.Namespace == callerNs ? 0 : c.Rule.Namespace == serviceNs ? 1 : c.Rule.Namespace == Options.RootNamespace ? 2 : 3)
            .ThenByDescending(c => c.Rule.WorkloadSelector is not null)
            .ThenByDescending(c => HostMatching.Specificity(c.Host))
            .ThenBy(c => c.Rule.Order)
            .ToArray();
        var winner = byNamespace[0];
        var sameLevel = byNamespace.Where(c => c.Rule.Namespace == winner.Rule.Namespace && c.Host == winner.Host
                                               && (c.Rule.WorkloadSelector is null) == (winner.Rule.WorkloadSelector is null)).ToArray();
        var policySource = sameLevel.FirstOrDefault(c => c.Rule.TrafficPolicy is not null).Rule ?? winner.Rule;
        foreach (var (other, host) in byNamespace.Skip(1))
        {
            if (sameLevel.Any(s => ReferenceEquals(s.Rule, other)))
            {
                if (other.TrafficPolicy is not null && !ReferenceEquals(other, policySource))
                    warnings.Add(new(other.Location, $"DestinationRule {other.Name} has the same host as {policySource.Name}; Istio merges them and keeps the older trafficPolicy ({policySource.Name}), so this one's trafficPolicy is ignored"));
            }
            else
            {
                warnings.Add(new(other.Location, $"DestinationRule {other.Name} (host {other.Host}) also matches {service} but {winner.Rule.Name} (host {winner.Rule.Host}) takes precedence; not applied"));
            }
        }
        return (policySource, policySource.TrafficPolicy);
    }

    private VirtualService? ResolveVirtualService(string service, string callerNs, List<ConfigDiagnostic> warnings)
    {
        var matching = new List<VirtualService>();
        foreach (var vs in VirtualServices)
        {
            var hosts = vs.Hosts.Select(h => HostMatching.Qualify(h, vs.Namespace)).ToArray();
            if (!hosts.Any(h => HostMatching.Matches(h, service))) continue;
            if (!Visible(vs.ExportTo, vs.Namespace, callerNs))
            {
                warnings.Add(new(vs.Location, $"VirtualService {vs.Name} is not exported to namespace {callerNs}; not applied"));
                continue;
            }
            if (vs.Gateways.Count > 0 && !vs.Gateways.Contains("mesh"))
            {
                warnings.Add(new(vs.Location, $"VirtualService {vs.Name} is bound to gateways ({string.Join(", ", vs.Gateways)}), not to sidecars; not applied to the embedded caller"));
                continue;
            }
            matching.Add(vs);
        }
        if (matching.Count == 0) return null;
        var chosen = matching
            .OrderByDescending(v => v.Hosts.Select(h => HostMatching.Specificity(HostMatching.Qualify(h, v.Namespace))).Max())
            .ThenBy(v => v.Order)
            .First();
        foreach (var other in matching.Where(v => !ReferenceEquals(v, chosen)))
            warnings.Add(new(other.Location, $"VirtualService {other.Name} also covers {service}; Istio uses {chosen.Name} for sidecars, so this one is ignored"));
        foreach (var route in chosen.Http)
            foreach (var dest in route.Destinations.Where(d => !HostMatching.Matches(HostMatching.Qualify(d, chosen.Namespace), service)))
                warnings.Add(new(route.Location, $"VirtualService {chosen.Name} routes to {dest}; routing to another service is not emulated (the route's policies apply to {service})"));
        return chosen;
    }

    /// <summary>The inbound mTLS mode of a workload: workload selector, then namespace, then mesh-wide (root namespace), else PERMISSIVE.</summary>
    public (MtlsMode Mode, PeerAuthentication? Source) ResolveMtls(string workloadNamespace, IReadOnlyDictionary<string, string> workloadLabels)
    {
        var levels = new[]
        {
            PeerAuthentications.Where(p => p.Namespace == workloadNamespace && p.Selector is { Count: > 0 } && HostMatching.Selects(p.Selector, workloadLabels)),
            PeerAuthentications.Where(p => p.Namespace == workloadNamespace && p.Selector is null or { Count: 0 }),
            PeerAuthentications.Where(p => p.Namespace == Options.RootNamespace && p.Selector is null or { Count: 0 }),
        };
        foreach (var level in levels)
            if (level.OrderBy(p => p.Order).FirstOrDefault(p => p.Mode != MtlsMode.Unset) is { } pa) return (pa.Mode, pa);
        return (MtlsMode.Permissive, null);
    }

    /// <summary>The AuthorizationPolicies that apply to a workload (its namespace with a matching or no selector, and the root namespace).</summary>
    public IReadOnlyList<AuthorizationPolicy> ResolveAuthorization(string workloadNamespace, IReadOnlyDictionary<string, string> workloadLabels) =>
        AuthorizationPolicies
            .Where(p => p.Namespace == workloadNamespace || p.Namespace == Options.RootNamespace)
            .Where(p => HostMatching.Selects(p.Selector, workloadLabels))
            .Where(p => p.Action is AuthorizationAction.Allow or AuthorizationAction.Deny)
            .OrderBy(p => p.Order)
            .ToArray();

    private static bool Visible(IReadOnlyList<string> exportTo, string ruleNs, string callerNs) =>
        exportTo.Count == 0 || exportTo.Contains("*") || exportTo.Contains(callerNs) || (exportTo.Contains(".") && ruleNs == callerNs);
}

/// <summary>What applies to one service for one caller: the DestinationRule chosen by Istio's precedence and the VirtualService.</summary>
public sealed record ServiceConfig(
    string Host,
    DestinationRule? DestinationRule,
    TrafficPolicy? TrafficPolicy,
    VirtualService? VirtualService,
    IReadOnlyList<ConfigDiagnostic> Warnings)
{
    /// <summary>The first HTTP route whose match conditions accept the request; null when a VirtualService exists and none matches (Envoy: 404 NR).</summary>
    public HttpRoute? RouteFor(string path, string method, Func<string, string?> header)
    {
        if (VirtualService is null) return DefaultRoute;
        foreach (var route in VirtualService.Http)
        {
            if (route.Match.Count == 0) return route;
            foreach (var m in route.Match)
            {
                if (m.Uri is { } uri && !uri.Matches(path)) continue;
                if (m.Method is { } verb && !verb.Matches(method)) continue;
                if (m.Headers.Any(h => !h.Value.Matches(header(h.Key)))) continue;
                return route;
            }
        }
        return null;
    }

    /// <summary>Without a VirtualService Istio builds a default route: no timeout, the default retry policy, no fault.</summary>
    public static HttpRoute DefaultRoute { get; } = new() { Name = "default" };
}
