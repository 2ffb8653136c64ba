using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;
using YamlDotNet.RepresentationModel;

namespace IndexForge.Resilience.Lint.Rules.Kubernetes;

/// <summary>Effective security settings of a container (container level overrides pod level).</summary>
public static class ContainerModel
{
    public static string? Effective(PodTemplate pod, YamlNode container, string field) =>
        container.Str("securityContext", field) ?? pod.PodSpec.Str("securityContext", field);

    public static bool IsTrue(string? value) => value?.ToLowerInvariant() is "true" or "yes" or "on";

    /// <summary>Images whose default user is known; null user means root. Non-numeric users cannot be verified by the kubelet.</summary>
    public static readonly IReadOnlyDictionary<string, string?> KnownImageUsers = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["aquasec/trivy"] = null,
        ["vault"] = null,
        ["hashicorp/vault"] = null,
        ["busybox"] = null,
        ["alpine"] = null,
        ["ubuntu"] = null,
        ["debian"] = null,
        ["nginx"] = null,
        ["python"] = null,
        ["curlimages/curl"] = "curl_user",
        ["istio/proxyv2"] = "1337",
        ["mcr.microsoft.com/dotnet/aspnet"] = null,
    };

    /// <summary>Repository of an image reference without registry defaults, tag or digest.</summary>
    public static string Repository(string image)
    {
        var withoutDigest = image.Split('@')[0];
        var lastSlash = withoutDigest.LastIndexOf('/');
        var colon = withoutDigest.LastIndexOf(':');
        var repo = colon > lastSlash ? withoutDigest[..colon] : withoutDigest;
        foreach (var prefix in new[] { "docker.io/library/", "docker.io/", "index.docker.io/" })
            if (repo.StartsWith(prefix, StringComparison.Ordinal)) return repo[prefix.Length..];
        return repo;
    }

    /// <summary>The tag, or null when none is given (Docker then pulls "latest").</summary>
    public static string? Tag(string image)
    {
        var withoutDigest = image.Split('@')[0];
        var lastSlash = withoutDigest.LastIndexOf('/');
        var colon = withoutDigest.LastIndexOf(':');
        return colon > lastSlash ? withoutDigest[(colon + 1)..] : null;
    }

    public static bool HasDigest(string image) => image.Contains("@sha256:", StringComparison.Ordinal);

    public static IEnumerable<(PodTemplate Pod, YamlMappingNode Container)> AllContainers(ConfigSet set) =>
        Workloads.PodTemplates(set).SelectMany(p => p.Containers().Select(c => (p, c)));
}
