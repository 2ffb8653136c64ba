using IndexForge.Resilience.Kubernetes.Clusters;
using IndexForge.Resilience.Kubernetes.Kube;

namespace IndexForge.Resilience.Kubernetes.Targets;

/// <summary>
/// Applies the scenario's mesh directory (<c>&lt;mesh&gt;/istio/*.yaml</c>: DestinationRule,
/// PeerAuthentication, VirtualService, AuthorizationPolicy) into the run namespace — the same files
/// the embedded mesh reads. Objects naming another namespace are moved into the run's, and hosts
/// written for the plan's "indexforge" namespace are reported, since they would not match here.
/// </summary>
public static class MeshConfig
{
    public static async Task<IReadOnlyList<string>> ApplyAsync(ResourceClient resources, string meshDirectory, string ns, CancellationToken ct)
    {
        var istioDir = Path.Combine(meshDirectory, "istio");
        if (!Directory.Exists(istioDir)) throw new KubernetesTargetException($"mesh configuration {istioDir} does not exist");
        var warnings = new List<string>();
        foreach (var file in Directory.EnumerateFiles(istioDir, "*.yaml").Concat(Directory.EnumerateFiles(istioDir, "*.yml")).Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            if (text.Contains(".indexforge.svc", StringComparison.Ordinal))
            {
                // The plan's hosts name the "indexforge" namespace; here the run namespace is the service's home.
                text = text.Replace(".indexforge.svc", $".{ns}.svc", StringComparison.Ordinal);
                warnings.Add($"{Path.GetFileName(file)}: hosts in namespace indexforge rewritten to {ns}");
            }
            foreach (var o in ManifestRenderer.Parse(text, file))
            {
                o.Metadata.NamespaceProperty = ns;
                await resources.ApplyAsync(o, ns, ct).ConfigureAwait(false);
            }
        }
        return warnings;
    }
}
