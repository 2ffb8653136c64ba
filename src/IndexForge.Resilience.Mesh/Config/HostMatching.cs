namespace IndexForge.Resilience.Mesh.Config;

/// <summary>Istio host names: short names resolved in a namespace, exact and wildcard ("*.suffix", "*") matching.</summary>
public static class HostMatching
{
    /// <summary>"reviews" in namespace "prod" is "reviews.prod.svc.cluster.local"; names with a dot or a wildcard are kept.</summary>
    public static string Qualify(string host, string @namespace) =>
        host.Contains('.') || host.StartsWith('*') ? host : $"{host}.{@namespace}.svc.{MeshConstants.TrustDomain}";

    /// <summary>True when the (qualified) rule host covers <paramref name="service"/>.</summary>
    public static bool Matches(string ruleHost, string service)
    {
        if (ruleHost == "*") return true;
        if (ruleHost.StartsWith("*.", StringComparison.Ordinal)) return service.EndsWith(ruleHost[1..], StringComparison.OrdinalIgnoreCase);
        return string.Equals(ruleHost, service, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Specificity for precedence: an exact host beats every wildcard, a longer wildcard suffix beats a shorter one.</summary>
    public static int Specificity(string ruleHost) => ruleHost.StartsWith('*') ? ruleHost.Length - 1 : int.MaxValue;

    /// <summary>True when <paramref name="labels"/> carry every label of <paramref name="selector"/>.</summary>
    public static bool Selects(IReadOnlyDictionary<string, string>? selector, IReadOnlyDictionary<string, string> labels) =>
        selector is null || selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
