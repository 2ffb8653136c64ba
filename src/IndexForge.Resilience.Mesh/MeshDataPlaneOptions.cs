using System.ComponentModel.DataAnnotations;
using System.Net;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Mesh.Config;
using IndexForge.Resilience.Mesh.Security;

namespace IndexForge.Resilience.Mesh;

/// <summary>What the embedded data plane needs: the parsed Istio config, the caller, the replicas and the mesh CA.</summary>
public sealed record MeshDataPlaneOptions
{
    /// <summary>The Istio resources (IstioConfigLoader.LoadDirectory("clusters/plan/istio")); empty means Istio defaults.</summary>
    public MeshConfig Config { get; init; } = MeshConfig.Empty;

    /// <summary>The replicas of the service (id, region, zone, address of the inbound listener).</summary>
    [Required, MinLength(1)] public required IReadOnlyList<MeshEndpoint> Endpoints { get; init; }

    /// <summary>The run's mesh CA; the caller's workload certificate is issued from it.</summary>
    [Required] public required MeshCertificateAuthority Ca { get; init; }

    [Required] public string ServiceHost { get; init; } = MeshConstants.ServiceHost;
    [Range(1, 65535)] public int ServicePort { get; init; } = MeshConstants.ServicePort;

    [Required] public string CallerRegion { get; init; } = MeshConstants.CallerRegion;
    /// <summary>The caller's zone; empty puts every replica of its region at the same priority.</summary>
    public string CallerZone { get; init; } = "";
    public string CallerNamespace { get; init; } = MeshConstants.DefaultNamespace;
    public string CallerWorkload { get; init; } = MeshConstants.CallerWorkload;
    public string CallerServiceAccount { get; init; } = MeshConstants.CallerServiceAccount;
    /// <summary>The caller pod's labels (DestinationRule workloadSelector, failoverPriority).</summary>
    public IReadOnlyDictionary<string, string> CallerLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>meshConfig.localityLbSetting.enabled; Istio's default is true.</summary>
    public bool MeshLocalityLbEnabled { get; init; } = true;

    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>Seeds load-balancing, fault percentages, jitter and retry back-off draws.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Where the entry (the caller's outbound listener) and the metrics listener bind, each on port 0.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>Called for each ejection, unejection, overflow, failover and rotation (also kept in Events).</summary>
    public Action<TargetEvent>? OnEvent { get; init; }

    /// <summary>Every problem with these options at once (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), errors, validateAllProperties: true);
        var messages = errors.Select(e => e.ErrorMessage ?? "invalid option").ToList();
        foreach (var dup in Endpoints.GroupBy(e => e.Id).Where(g => g.Count() > 1)) messages.Add($"endpoint id {dup.Key} is used twice");
        foreach (var e in Endpoints.Where(e => !e.Address.IsAbsoluteUri || e.Address.Port <= 0)) messages.Add($"endpoint {e.Id} needs an absolute address with a port");
        return messages;
    }
}
