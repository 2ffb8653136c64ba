using System.Globalization;
using System.Text.Json;
using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Kubernetes.Events;

/// <summary>
/// ejected / unejected per replica and failover / failback from a calling Envoy's admin
/// <c>/clusters?format=json</c> (the entry point's ingress gateway, through a port-forward to its
/// admin port): each host of the service's cluster carries <c>health_status.failed_outlier_check</c>,
/// its <c>priority</c> (0 = the caller's locality, 1 = the failover region) and its address, which
/// <see cref="ReplicaPodEvents"/> names. Envoy's Prometheus counters are per cluster and cannot say
/// which host was ejected; this can. Resolution is the poll interval.
/// </summary>
public sealed class EnvoyHostEvents(HttpClient admin, string clusterName, Func<string, string?> replicaOf, string caller) : IRunEventSource
{
    private Dictionary<string, bool>? _ejected;
    private double? _p0Load;

    public string Name => $"{caller} envoy admin";

    public async Task<IReadOnlyList<TargetEvent>> PollAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var response = await admin.GetAsync("clusters?format=json", cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var hosts = Parse(json, clusterName);
        var ejected = hosts.ToDictionary(h => h.Address, h => h.FailedOutlierCheck, StringComparer.Ordinal);
        var p0 = PriorityZeroLoad(hosts);
        var (previous, previousLoad) = (_ejected, _p0Load);
        (_ejected, _p0Load) = (ejected, p0);
        if (previous is null) return [];
        var events = new List<TargetEvent>();
        foreach (var h in hosts)
        {
            var was = previous.GetValueOrDefault(h.Address);
            if (was == h.FailedOutlierCheck) continue;
            var subject = replicaOf(h.Ip) ?? h.Address;
            events.Add(h.FailedOutlierCheck
                ? new TargetEvent(now, TargetEventKinds.Ejected, subject, $"{caller}: {h.Address} failed_outlier_check (priority {h.Priority}) in {clusterName}")
                : new TargetEvent(now, TargetEventKinds.Unejected, subject, $"{caller}: {h.Address} back in the load balancing pool of {clusterName}"));
        }
        if (previousLoad is { } before && p0 is { } after && Math.Abs(before - after) > 0.01)
        {
            var kind = after < before && before >= 100 ? TargetEventKinds.Failover : after >= 100 ? KubeEventKinds.Failback : KubeEventKinds.PriorityLoadChanged;
            events.Add(new TargetEvent(now, kind, clusterName,
                $"{caller}: priority 0 load {after.ToString("0.#", CultureInfo.InvariantCulture)}% (was {before.ToString("0.#", CultureInfo.InvariantCulture)}%), computed from host health × {RunEventConstants.OverprovisioningFactor}"));
        }
        return events;
    }

    /// <summary>
    /// P0's share of the traffic as Envoy computes it without a panic threshold:
    /// min(100, healthy P0 hosts / P0 hosts × 100 × 1.4); null when the cluster has a single priority.
    /// </summary>
    public static double? PriorityZeroLoad(IReadOnlyList<EnvoyHost> hosts)
    {
        var p0 = hosts.Where(h => h.Priority == 0).ToList();
        if (p0.Count == 0 || hosts.All(h => h.Priority == 0)) return null;
        var healthy = p0.Count(h => !h.FailedOutlierCheck && h.Healthy);
        return Math.Min(100, 100.0 * healthy / p0.Count * RunEventConstants.OverprovisioningFactor);
    }

    /// <summary>The hosts of <paramref name="cluster"/> in an admin /clusters?format=json answer (snake_case as Envoy writes it, camelCase accepted).</summary>
    public static IReadOnlyList<EnvoyHost> Parse(string json, string cluster)
    {
        using var doc = JsonDocument.Parse(json);
        var statuses = Prop(doc.RootElement, "cluster_statuses", "clusterStatuses");
        if (statuses is not { ValueKind: JsonValueKind.Array } list) return [];
        foreach (var c in list.EnumerateArray())
        {
            if (Prop(c, "name", "name")?.GetString() != cluster) continue;
            if (Prop(c, "host_statuses", "hostStatuses") is not { ValueKind: JsonValueKind.Array } hosts) return [];
            return hosts.EnumerateArray().Select(ReadHost).Where(h => h.Ip.Length > 0).ToList();
        }
        return [];
    }

    private static EnvoyHost ReadHost(JsonElement h)
    {
        var socket = Prop(h, "address", "address") is { } a ? Prop(a, "socket_address", "socketAddress") : null;
        var ip = socket is { } s && Prop(s, "address", "address") is { ValueKind: JsonValueKind.String } ipv ? ipv.GetString()! : "";
        var port = socket is { } s2 && Prop(s2, "port_value", "portValue") is { ValueKind: JsonValueKind.Number } pv ? pv.GetInt32() : 0;
        var health = Prop(h, "health_status", "healthStatus");
        var failedOutlier = health is { } hs && Prop(hs, "failed_outlier_check", "failedOutlierCheck") is { ValueKind: JsonValueKind.True };
        var eds = health is { } hs2 && Prop(hs2, "eds_health_status", "edsHealthStatus") is { ValueKind: JsonValueKind.String } e ? e.GetString() : null;
        var priority = Prop(h, "priority", "priority") is { ValueKind: JsonValueKind.Number } p ? p.GetInt32() : 0;
        return new EnvoyHost(ip, port, priority, failedOutlier, eds is null or "HEALTHY" or "UNKNOWN");
    }

    private static JsonElement? Prop(JsonElement e, string snake, string camel) =>
        e.ValueKind == JsonValueKind.Object && (e.TryGetProperty(snake, out var v) || e.TryGetProperty(camel, out v)) ? v : null;
}

/// <summary>One upstream host as a calling Envoy sees it.</summary>
public sealed record EnvoyHost(string Ip, int Port, int Priority, bool FailedOutlierCheck, bool Healthy)
{
    public string Address => $"{Ip}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
