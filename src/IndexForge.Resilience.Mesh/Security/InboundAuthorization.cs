using IndexForge.Resilience.Mesh.Config;

namespace IndexForge.Resilience.Mesh.Security;

/// <summary>
/// Istio AuthorizationPolicy evaluation for one workload: a matching DENY policy refuses; if any
/// ALLOW policy applies, a request must match one of its rules; with no ALLOW policy, everything
/// not denied passes. Values support Istio's forms: exact, "prefix*", "*suffix" and "*".
/// </summary>
internal sealed class InboundAuthorization(IReadOnlyList<AuthorizationPolicy> policies)
{
    private readonly AuthorizationPolicy[] _deny = policies.Where(p => p.Action == AuthorizationAction.Deny).ToArray();
    private readonly AuthorizationPolicy[] _allow = policies.Where(p => p.Action == AuthorizationAction.Allow).ToArray();

    public int PolicyCount => _deny.Length + _allow.Length;

    /// <param name="principal">Istio principal of the peer ("cluster.local/ns/x/sa/y"), null over plaintext.</param>
    public bool Allows(string? principal, string method, string path)
    {
        if (_deny.Length == 0 && _allow.Length == 0) return true;
        if (_deny.Any(p => PolicyMatches(p, principal, method, path))) return false;
        return _allow.Length == 0 || _allow.Any(p => PolicyMatches(p, principal, method, path));
    }

    private static bool PolicyMatches(AuthorizationPolicy policy, string? principal, string method, string path) =>
        policy.Rules is { } rules && rules.Any(r => RuleMatches(r, principal, method, path));

    private static bool RuleMatches(AuthorizationRule rule, string? principal, string method, string path)
    {
        var ns = principal is null ? null : MeshTrust.NamespaceOf(principal);
        var from = rule.From.Count == 0 || rule.From.Any(s =>
            FieldMatches(s.Principals, principal) && !AnyMatches(s.NotPrincipals, principal) &&
            FieldMatches(s.Namespaces, ns) && !AnyMatches(s.NotNamespaces, ns));
        var to = rule.To.Count == 0 || rule.To.Any(o =>
            FieldMatches(o.Methods, method) && !AnyMatches(o.NotMethods, method) &&
            FieldMatches(o.Paths, path) && !AnyMatches(o.NotPaths, path));
        return from && to;
    }

    /// <summary>An empty field places no condition; otherwise the value must match one entry.</summary>
    private static bool FieldMatches(IReadOnlyList<string> patterns, string? value) => patterns.Count == 0 || AnyMatches(patterns, value);

    private static bool AnyMatches(IReadOnlyList<string> patterns, string? value) =>
        value is { Length: > 0 } && patterns.Any(p => ValueMatches(p, value));

    public static bool ValueMatches(string pattern, string value) =>
        pattern == "*" ? value.Length > 0
        : pattern.EndsWith('*') ? value.StartsWith(pattern[..^1], StringComparison.Ordinal)
        : pattern.StartsWith('*') ? value.EndsWith(pattern[1..], StringComparison.Ordinal)
        : string.Equals(pattern, value, StringComparison.Ordinal);
}
