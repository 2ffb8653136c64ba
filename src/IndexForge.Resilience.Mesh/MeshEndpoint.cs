using IndexForge.Resilience.Mesh.Config;
using IndexForge.Resilience.Mesh.Security;

namespace IndexForge.Resilience.Mesh;

/// <summary>
/// One upstream replica the caller's sidecar balances over. <see cref="Address"/> is the replica's
/// inbound listener (https:// under mTLS, http:// when the replica runs without TLS).
/// </summary>
public sealed record MeshEndpoint(string Id, string Region, string Zone, Uri Address)
{
    public string SubZone { get; init; } = "";
    /// <summary>Pod labels (for PeerAuthentication/AuthorizationPolicy selectors and failoverPriority); topology labels are added automatically.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>The destination_workload metric label; the replica id unless set (per-replica traffic shares need it distinct).</summary>
    public string? Workload { get; init; }
    /// <summary>Service account of the replica's workload identity (SPIFFE ID).</summary>
    public string ServiceAccount { get; init; } = "indexforge-search";
    /// <summary>The replica's inbound side when it was built with <see cref="MeshInbound"/>; its TLS and RBAC counters join /metrics.</summary>
    public MeshInbound? Inbound { get; init; }

    public string WorkloadName => Workload ?? Id;
    public MeshLocality Locality => new(Region, Zone, SubZone);

    /// <summary>Labels with Kubernetes/Istio topology labels filled in from the locality, as Istio augments endpoint labels.</summary>
    public IReadOnlyDictionary<string, string> EffectiveLabels => MeshLocality.WithTopologyLabels(Labels, Locality);
}

/// <summary>An Envoy locality: region/zone/sub-zone.</summary>
public readonly record struct MeshLocality(string Region, string Zone = "", string SubZone = "")
{
    public override string ToString() => string.Join('/', new[] { Region, Zone, SubZone }.Where(s => s.Length > 0));

    /// <summary>Istio util.LocalityMatch: "region[/zone[/subzone]]" with "*" or a missing part matching anything.</summary>
    public bool Matches(string pattern)
    {
        var parts = pattern.Split('/');
        var region = parts[0];
        var zone = parts.Length > 1 ? parts[1] : "";
        var sub = parts.Length > 2 ? parts[2] : "";
        return (region == "*" || region == Region) && (zone is "*" or "" || zone == Zone) && (sub is "*" or "" || sub == SubZone);
    }

    public static IReadOnlyDictionary<string, string> WithTopologyLabels(IReadOnlyDictionary<string, string> labels, MeshLocality locality)
    {
        var result = new Dictionary<string, string>(labels, StringComparer.Ordinal);
        if (locality.Region.Length > 0) result.TryAdd(LocalityLabels.Region, locality.Region);
        if (locality.Zone.Length > 0) result.TryAdd(LocalityLabels.Zone, locality.Zone);
        if (locality.SubZone.Length > 0) result.TryAdd(LocalityLabels.Subzone, locality.SubZone);
        return result;
    }
}
