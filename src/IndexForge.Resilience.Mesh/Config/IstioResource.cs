namespace IndexForge.Resilience.Mesh.Config;

/// <summary>What every Istio resource read from YAML carries: identity, where it was read, and its order in the file set.</summary>
public abstract record IstioResource
{
    public required string Kind { get; init; }
    public required string ApiVersion { get; init; }
    /// <summary>metadata.name; a synthesized "file#n" when the YAML has none (kubectl would refuse such a document).</summary>
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public required ConfigLocation Location { get; init; }
    /// <summary>Position in the file set (files sorted by name, then document order): Istio's creation-time tie-breaker.</summary>
    public required int Order { get; init; }
    public override string ToString() => $"{Kind} {Namespace}/{Name} ({Location.File}:{Location.Line})";
}

/// <summary>Kinds, API groups and versions the loader understands.</summary>
public static class IstioKinds
{
    public const string DestinationRule = "DestinationRule";
    public const string VirtualService = "VirtualService";
    public const string PeerAuthentication = "PeerAuthentication";
    public const string AuthorizationPolicy = "AuthorizationPolicy";

    public const string NetworkingGroup = "networking.istio.io";
    public const string SecurityGroup = "security.istio.io";

    public static readonly IReadOnlyList<string> NetworkingVersions = ["v1alpha3", "v1beta1", "v1"];
    public static readonly IReadOnlyList<string> SecurityVersions = ["v1beta1", "v1"];

    /// <summary>Istio kinds the embedded mesh reads but does not emulate (a warning, not an error).</summary>
    public static readonly IReadOnlyList<string> NotEmulated =
        ["Gateway", "ServiceEntry", "Sidecar", "EnvoyFilter", "WorkloadEntry", "WorkloadGroup", "ProxyConfig", "Telemetry",
         "RequestAuthentication", "WasmPlugin", "IstioOperator"];
}
