using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IndexForge.Resilience.Kubernetes.Kube;

/// <summary>
/// Applies, reads, replaces and deletes objects of any kind the manifests under clusters/ use.
/// Core-group kinds go through the typed API (the custom-objects API cannot address group ""),
/// every other kind through the custom-objects API. Applies are server-side applies, so a second
/// apply of the same manifest changes nothing.
/// </summary>
public sealed class ResourceClient(IKubernetes client)
{
    public IKubernetes Client { get; } = client;

    /// <summary>Server-side apply of <paramref name="obj"/> into <paramref name="ns"/> (ignored for cluster-scoped kinds).</summary>
    public async Task ApplyAsync(IKubernetesObject<V1ObjectMeta> obj, string? ns, CancellationToken ct)
    {
        var kind = ResourceKinds.Of(obj.ApiVersion, obj.Kind);
        var name = obj.Metadata?.Name ?? throw new ArgumentException($"{obj.Kind} without metadata.name");
        if (kind.Namespaced)
        {
            ns ??= obj.Metadata.NamespaceProperty ?? throw new ArgumentException($"{obj.Kind}/{name} needs a namespace");
            obj.Metadata.NamespaceProperty = ns;
        }
        var patch = new V1Patch(KubernetesJson.Serialize(obj), V1Patch.PatchType.ApplyPatch);
        const string fm = KubeLabels.FieldManager;
        switch (kind.Group, kind.Kind)
        {
            case ("", "Namespace"): await Client.CoreV1.PatchNamespaceAsync(patch, name, fieldManager: fm, force: true, cancellationToken: ct).ConfigureAwait(false); break;
            case ("", "ServiceAccount"): await Client.CoreV1.PatchNamespacedServiceAccountAsync(patch, name, ns, fieldManager: fm, force: true, cancellationToken: ct).ConfigureAwait(false); break;
            case ("", "Service"): await Client.CoreV1.PatchNamespacedServiceAsync(patch, name, ns, fieldManager: fm, force: true, cancellationToken: ct).ConfigureAwait(false); break;
            case ("", "ConfigMap"): await Client.CoreV1.PatchNamespacedConfigMapAsync(patch, name, ns, fieldManager: fm, force: true, cancellationToken: ct).ConfigureAwait(false); break;
            case ("", "Secret"): await Client.CoreV1.PatchNamespacedSecretAsync(patch, name, ns, fieldManager: fm, force: true, cancellationToken: ct).ConfigureAwait(false); break;
            case ("", "Pod"): await Client.CoreV1.PatchNamespacedPodAsync(patch, name, ns, fieldManager: fm, force: true, cancellationToken: ct).ConfigureAwait(false); break;
            case ("", "PersistentVolumeClaim"): await Client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(patch, name, ns, fieldManager: fm, force: true, cancellationToken: ct).ConfigureAwait(false); break;
            case ("", _): throw new NotSupportedException($"core kind {kind.Kind} is not supported by the applier");
            default:
                if (kind.Namespaced)
                    await Client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, kind.Group, kind.Version, ns, kind.Plural, name,
                        fieldManager: fm, force: true, cancellationToken: ct).ConfigureAwait(false);
                else
                    await Client.CustomObjects.PatchClusterCustomObjectAsync(patch, kind.Group, kind.Version, kind.Plural, name,
                        fieldManager: fm, force: true, cancellationToken: ct).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>The object as JSON, or null when it does not exist. Non-core kinds only.</summary>
    public async Task<JsonObject?> GetAsync(ResourceKind kind, string ns, string name, CancellationToken ct)
    {
        RequireNonCore(kind);
        try
        {
            var o = await Client.CustomObjects.GetNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Plural, name, ct).ConfigureAwait(false);
            return ToJson(o);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<JsonObject>> ListAsync(ResourceKind kind, string ns, string? labelSelector, CancellationToken ct)
    {
        RequireNonCore(kind);
        var o = await Client.CustomObjects.ListNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Plural,
            labelSelector: labelSelector, cancellationToken: ct).ConfigureAwait(false);
        var list = ToJson(o);
        return list["items"] is JsonArray items ? items.OfType<JsonObject>().ToList() : [];
    }

    /// <summary>Replaces the object with <paramref name="body"/> (PUT); without a resourceVersion the update is unconditional.</summary>
    public async Task ReplaceAsync(ResourceKind kind, string ns, string name, JsonObject body, CancellationToken ct)
    {
        RequireNonCore(kind);
        await Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(body, kind.Group, kind.Version, ns, kind.Plural, name,
            fieldManager: KubeLabels.FieldManager, cancellationToken: ct).ConfigureAwait(false);
    }

    public async Task CreateAsync(ResourceKind kind, string ns, JsonObject body, CancellationToken ct)
    {
        RequireNonCore(kind);
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(body, kind.Group, kind.Version, ns, kind.Plural,
            fieldManager: KubeLabels.FieldManager, cancellationToken: ct).ConfigureAwait(false);
    }

    /// <summary>Deletes the object; a missing object is not an error (reverts and teardown run twice).</summary>
    public async Task DeleteAsync(ResourceKind kind, string ns, string name, CancellationToken ct)
    {
        RequireNonCore(kind);
        try
        {
            await Client.CustomObjects.DeleteNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Plural, name, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>
    /// What a snapshot keeps for an exact restore: the object without the fields the server owns
    /// (resourceVersion, uid, managedFields, status), so a PUT of it brings back the spec as it was.
    /// </summary>
    public static JsonObject Restorable(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject meta)
        {
            foreach (var f in new[] { "resourceVersion", "uid", "managedFields", "creationTimestamp", "generation" }) meta.Remove(f);
        }
        return copy;
    }

    private static JsonObject ToJson(object o) => o switch
    {
        JsonObject j => j,
        JsonElement e => JsonNode.Parse(e.GetRawText())!.AsObject(),
        _ => JsonNode.Parse(KubernetesJson.Serialize(o))!.AsObject(),
    };

    private static void RequireNonCore(ResourceKind kind)
    {
        if (kind.Group.Length == 0) throw new NotSupportedException($"{kind.Kind}: use the typed core API");
    }
}

/// <summary>Where the API keeps one kind: group, version, plural, and whether it lives in a namespace.</summary>
public sealed record ResourceKind(string Group, string Version, string Kind, string Plural, bool Namespaced)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}

public static class ResourceKinds
{
    public static readonly ResourceKind Deployment = new("apps", "v1", "Deployment", "deployments", true);
    public static readonly ResourceKind StatefulSet = new("apps", "v1", "StatefulSet", "statefulsets", true);
    public static readonly ResourceKind Job = new("batch", "v1", "Job", "jobs", true);
    public static readonly ResourceKind VirtualService = new("networking.istio.io", "v1", "VirtualService", "virtualservices", true);
    public static readonly ResourceKind DestinationRule = new("networking.istio.io", "v1", "DestinationRule", "destinationrules", true);
    public static readonly ResourceKind HelmChart = new("helm.cattle.io", "v1", "HelmChart", "helmcharts", true);

    private static readonly HashSet<string> ClusterScoped = new(StringComparer.Ordinal)
    {
        "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume", "StorageClass",
    };

    /// <summary>The kind of an object as its manifest names it; plurals follow the API's regular rule.</summary>
    public static ResourceKind Of(string apiVersion, string kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiVersion);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        var slash = apiVersion.IndexOf('/');
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        var lower = kind.ToLowerInvariant();
        var plural = lower.EndsWith('y') ? lower[..^1] + "ies" : lower.EndsWith('s') ? lower + "es" : lower + "s";
        return new ResourceKind(group, version, kind, plural, !ClusterScoped.Contains(kind));
    }
}
