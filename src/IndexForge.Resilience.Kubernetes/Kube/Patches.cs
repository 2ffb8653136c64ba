using System.Text.Json.Nodes;
using k8s.Models;

namespace IndexForge.Resilience.Kubernetes.Kube;

/// <summary>The merge patches the injectors send, built as JSON so their exact bodies are testable.</summary>
public static class Patches
{
    public static V1Patch Replicas(int replicas) =>
        Merge(new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } });

    public static V1Patch TemplateAnnotation(string key, string value) =>
        Merge(new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [key] = value } } },
            },
        });

    public static V1Patch Merge(JsonObject body) => new(body.ToJsonString(), V1Patch.PatchType.MergePatch);
}
