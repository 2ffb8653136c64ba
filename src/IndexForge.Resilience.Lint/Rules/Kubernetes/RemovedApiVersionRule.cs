using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Kubernetes;

/// <summary>K8S001: API versions the API server no longer serves; kubectl apply fails with "no matches for kind".</summary>
public sealed class RemovedApiVersionRule : LintRule
{
    private sealed record Removal(string RemovedIn, string Replacement);

    private static readonly Dictionary<(string ApiVersion, string Kind), Removal> Removed = new()
    {
        [("batch/v1beta1", "CronJob")] = new("1.25", "batch/v1"),
        [("policy/v1beta1", "PodDisruptionBudget")] = new("1.25", "policy/v1"),
        [("policy/v1beta1", "PodSecurityPolicy")] = new("1.25", "Pod Security Admission (no replacement kind)"),
        [("discovery.k8s.io/v1beta1", "EndpointSlice")] = new("1.25", "discovery.k8s.io/v1"),
        [("events.k8s.io/v1beta1", "Event")] = new("1.25", "events.k8s.io/v1"),
        [("autoscaling/v2beta1", "HorizontalPodAutoscaler")] = new("1.25", "autoscaling/v2"),
        [("autoscaling/v2beta2", "HorizontalPodAutoscaler")] = new("1.26", "autoscaling/v2"),
        [("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema")] = new("1.26", "flowcontrol.apiserver.k8s.io/v1"),
        [("storage.k8s.io/v1beta1", "CSIStorageCapacity")] = new("1.27", "storage.k8s.io/v1"),
        [("networking.k8s.io/v1beta1", "Ingress")] = new("1.22", "networking.k8s.io/v1"),
        [("extensions/v1beta1", "Ingress")] = new("1.22", "networking.k8s.io/v1"),
        [("networking.k8s.io/v1beta1", "IngressClass")] = new("1.22", "networking.k8s.io/v1"),
        [("rbac.authorization.k8s.io/v1beta1", "ClusterRole")] = new("1.22", "rbac.authorization.k8s.io/v1"),
        [("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding")] = new("1.22", "rbac.authorization.k8s.io/v1"),
        [("rbac.authorization.k8s.io/v1beta1", "Role")] = new("1.22", "rbac.authorization.k8s.io/v1"),
        [("rbac.authorization.k8s.io/v1beta1", "RoleBinding")] = new("1.22", "rbac.authorization.k8s.io/v1"),
        [("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition")] = new("1.22", "apiextensions.k8s.io/v1"),
        [("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration")] = new("1.22", "admissionregistration.k8s.io/v1"),
        [("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration")] = new("1.22", "admissionregistration.k8s.io/v1"),
        [("extensions/v1beta1", "Deployment")] = new("1.16", "apps/v1"),
        [("apps/v1beta1", "Deployment")] = new("1.16", "apps/v1"),
        [("apps/v1beta2", "Deployment")] = new("1.16", "apps/v1"),
        [("extensions/v1beta1", "DaemonSet")] = new("1.16", "apps/v1"),
        [("apps/v1beta2", "DaemonSet")] = new("1.16", "apps/v1"),
        [("apps/v1beta1", "StatefulSet")] = new("1.16", "apps/v1"),
        [("apps/v1beta2", "StatefulSet")] = new("1.16", "apps/v1"),
        [("extensions/v1beta1", "NetworkPolicy")] = new("1.16", "networking.k8s.io/v1"),
        [("extensions/v1beta1", "ReplicaSet")] = new("1.16", "apps/v1"),
    };

    public override RuleInfo Info { get; } = new("K8S001", Severity.Error, "Kubernetes",
        "API version removed from Kubernetes", References.K8sDeprecationGuide);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var r in set.Resources)
        {
            if (!Removed.TryGetValue((r.ApiVersion, r.Kind), out var removal)) continue;
            yield return Finding(r.File, r.LineOf("apiVersion"),
                $"{r.Display} uses {r.ApiVersion}, removed in Kubernetes {removal.RemovedIn}",
                $"API servers from {removal.RemovedIn} on no longer serve this version: kubectl apply fails with " +
                $"\"no matches for kind {r.Kind} in version {r.ApiVersion}\" and the object is never created (a CronJob never runs).",
                $"Use apiVersion: {removal.Replacement}.");
        }
    }
}
