using IndexForge.Resilience.Kubernetes.Clusters;
using IndexForge.Resilience.Kubernetes.Kube;
using k8s;
using k8s.Models;

namespace IndexForge.Resilience.Kubernetes.Targets;

/// <summary>Prometheus for the run, with the alert rules of the scenario's mesh directory (<c>&lt;mesh&gt;/prometheus/*.yaml</c>).</summary>
public static class PrometheusInstall
{
    public static async Task ApplyAsync(IKubernetes client, ResourceClient resources, string manifest, string meshDirectory, string ns,
        IReadOnlyDictionary<string, string> values, CancellationToken ct)
    {
        var rulesDir = Path.Combine(meshDirectory, "prometheus");
        var rules = Directory.Exists(rulesDir)
            ? Directory.EnumerateFiles(rulesDir, "*.y*ml").Order(StringComparer.Ordinal).ToDictionary(f => Path.GetFileNameWithoutExtension(f) + ".yaml", File.ReadAllText)
            : new Dictionary<string, string>();
        await resources.ApplyAsync(new V1ConfigMap
        {
            ApiVersion = "v1", Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = "prometheus-rules", NamespaceProperty = ns },
            Data = rules,
        }, ns, ct).ConfigureAwait(false);
        foreach (var o in ManifestRenderer.Load(manifest, values)) await resources.ApplyAsync(o, ns, ct).ConfigureAwait(false);
    }
}
