using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Kubernetes;

/// <summary>K8S009: container-only securityContext fields written in the pod's securityContext are not applied.</summary>
public sealed class PodLevelContainerFieldsRule : LintRule
{
    private static readonly string[] ContainerOnly = ["readOnlyRootFilesystem", "allowPrivilegeEscalation", "capabilities", "privileged", "procMount"];

    public override RuleInfo Info { get; } = new("K8S009", Severity.Error, "Kubernetes",
        "container-only securityContext fields at pod level", References.K8sSecurityContextApi);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var pod in Workloads.PodTemplates(set))
        {
            var sc = pod.PodSpec.Get("securityContext");
            var misplaced = ContainerOnly.Where(f => sc.Has(f)).ToList();
            if (misplaced.Count == 0) continue;
            yield return Finding(pod.Owner.File, pod.PodSpec.LineOf(pod.Owner.Line, "securityContext"),
                $"{pod.Owner.Display}: {string.Join(", ", misplaced)} in the pod securityContext",
                "These fields exist only on the container SecurityContext. kubectl --validate=strict (the default) rejects the object " +
                "(\"unknown field\"); with validation off they are dropped, so the container runs writable, able to escalate and with all capabilities.",
                "Move them to each container's securityContext; keep runAsNonRoot/runAsUser/fsGroup/seccompProfile at pod level.");
        }
    }
}
