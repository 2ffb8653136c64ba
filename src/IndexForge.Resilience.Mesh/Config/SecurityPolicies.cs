namespace IndexForge.Resilience.Mesh.Config;

public enum MtlsMode { Unset, Disable, Permissive, Strict }

/// <summary>security.istio.io PeerAuthentication: the inbound mTLS mode of the selected workloads.</summary>
public sealed record PeerAuthentication : IstioResource
{
    /// <summary>Null: namespace-wide (or mesh-wide in the root namespace).</summary>
    public IReadOnlyDictionary<string, string>? Selector { get; init; }
    public MtlsMode Mode { get; init; }
}

public enum AuthorizationAction { Allow, Deny, Audit, Custom }

/// <summary>security.istio.io AuthorizationPolicy: the source and operation checks the inbound side makes.</summary>
public sealed record AuthorizationPolicy : IstioResource
{
    public IReadOnlyDictionary<string, string>? Selector { get; init; }
    public AuthorizationAction Action { get; init; }
    /// <summary>Null when the policy has no rules field: an ALLOW policy without rules matches nothing.</summary>
    public IReadOnlyList<AuthorizationRule>? Rules { get; init; }
}

public sealed record AuthorizationRule
{
    public IReadOnlyList<AuthorizationSource> From { get; init; } = [];
    public IReadOnlyList<AuthorizationOperation> To { get; init; } = [];
}

public sealed record AuthorizationSource
{
    public IReadOnlyList<string> Principals { get; init; } = [];
    public IReadOnlyList<string> NotPrincipals { get; init; } = [];
    public IReadOnlyList<string> Namespaces { get; init; } = [];
    public IReadOnlyList<string> NotNamespaces { get; init; } = [];
}

public sealed record AuthorizationOperation
{
    public IReadOnlyList<string> Methods { get; init; } = [];
    public IReadOnlyList<string> NotMethods { get; init; } = [];
    public IReadOnlyList<string> Paths { get; init; } = [];
    public IReadOnlyList<string> NotPaths { get; init; } = [];
}
