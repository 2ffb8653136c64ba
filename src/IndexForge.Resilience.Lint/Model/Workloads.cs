using IndexForge.Resilience.Lint.Parsing;
using YamlDotNet.RepresentationModel;

namespace IndexForge.Resilience.Lint.Model;

/// <summary>A pod template found in a workload resource, with where its spec sits.</summary>
public sealed record PodTemplate(KubeResource Owner, YamlNode PodSpec, IReadOnlyDictionary<string, string> Labels)
{
    public string Namespace(string fallback) => Owner.Namespace ?? fallback;

    public IEnumerable<YamlMappingNode> Containers(bool includeInit = true)
    {
        foreach (var c in PodSpec.Seq("containers").Items().OfType<YamlMappingNode>()) yield return c;
        if (!includeInit) yield break;
        foreach (var c in PodSpec.Seq("initContainers").Items().OfType<YamlMappingNode>()) yield return c;
    }
}

public static class Workloads
{
    /// <summary>Pod templates of Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs.</summary>
    public static IEnumerable<PodTemplate> PodTemplates(ConfigSet set)
    {
        foreach (var r in set.Resources)
        {
            var (spec, labels) = r.Kind switch
            {
                "Pod" => (r.Spec, r.Root.Get("metadata", "labels")),
                "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "Job" =>
                    (r.Root.Get("spec", "template", "spec"), r.Root.Get("spec", "template", "metadata", "labels")),
                "CronJob" => (r.Root.Get("spec", "jobTemplate", "spec", "template", "spec"),
                    r.Root.Get("spec", "jobTemplate", "spec", "template", "metadata", "labels")),
                _ => (null, null),
            };
            if (spec is not null) yield return new PodTemplate(r, spec, labels.Labels());
        }
    }
}
