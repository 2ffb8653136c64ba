using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace IndexForge.Resilience.Kubernetes.Clusters;

/// <summary>
/// Renders the YAML templates under clusters/k3s/ (<c>${NAME}</c> placeholders) and parses them into
/// KubernetesClient's typed models; a placeholder without a value is an error, never left in.
/// </summary>
public static partial class ManifestRenderer
{
    [GeneratedRegex(@"\$\{([A-Z_][A-Z0-9_]*)\}")]
    private static partial Regex Placeholder();

    public static string Render(string template, IReadOnlyDictionary<string, string> values, string source = "template")
    {
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var text = Placeholder().Replace(template, m =>
        {
            var key = m.Groups[1].Value;
            if (values.TryGetValue(key, out var v)) return v;
            missing.Add(key);
            return m.Value;
        });
        return missing.Count > 0 ? throw new InvalidDataException($"{source}: no value for {string.Join(", ", missing)}") : text;
    }

    /// <summary>Renders and parses every document; unknown kinds (Istio, HelmChart) come back as generic objects.</summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Load(string path, IReadOnlyDictionary<string, string> values)
    {
        var yaml = Render(File.ReadAllText(path), values, path);
        return Parse(yaml, path);
    }

    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Parse(string yaml, string source)
    {
        var objects = KubernetesYaml.LoadAllFromString(yaml, GenericKinds);
        var list = new List<IKubernetesObject<V1ObjectMeta>>();
        foreach (var o in objects)
        {
            if (o is IKubernetesObject<V1ObjectMeta> k) list.Add(k);
            else if (o is not null) throw new InvalidDataException($"{source}: {o.GetType().Name} is not a Kubernetes object with metadata");
        }
        return list;
    }

    /// <summary>Kinds KubernetesClient has no model for, read as <see cref="GenericObject"/> so they can be applied as they are.</summary>
    private static readonly Dictionary<string, Type> GenericKinds = new()
    {
        ["networking.istio.io/v1/VirtualService"] = typeof(GenericObject),
        ["networking.istio.io/v1/DestinationRule"] = typeof(GenericObject),
        ["networking.istio.io/v1/Gateway"] = typeof(GenericObject),
        ["networking.istio.io/v1alpha3/VirtualService"] = typeof(GenericObject),
        ["networking.istio.io/v1alpha3/DestinationRule"] = typeof(GenericObject),
        ["networking.istio.io/v1beta1/VirtualService"] = typeof(GenericObject),
        ["networking.istio.io/v1beta1/DestinationRule"] = typeof(GenericObject),
        ["security.istio.io/v1/PeerAuthentication"] = typeof(GenericObject),
        ["security.istio.io/v1beta1/PeerAuthentication"] = typeof(GenericObject),
        ["security.istio.io/v1/AuthorizationPolicy"] = typeof(GenericObject),
        ["security.istio.io/v1beta1/AuthorizationPolicy"] = typeof(GenericObject),
        ["helm.cattle.io/v1/HelmChart"] = typeof(GenericObject),
    };
}

/// <summary>An object of a kind without a model: metadata typed, everything else kept as it was read.</summary>
public sealed class GenericObject : IKubernetesObject<V1ObjectMeta>
{
    [System.Text.Json.Serialization.JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";
    [System.Text.Json.Serialization.JsonPropertyName("kind")]
    public string Kind { get; set; } = "";
    [System.Text.Json.Serialization.JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();
    [System.Text.Json.Serialization.JsonPropertyName("spec")]
    public object? Spec { get; set; }
}
