using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Kubernetes;

/// <summary>K8S011: a Job's pod template must say restartPolicy OnFailure or Never; the default Always is rejected.</summary>
public sealed class JobRestartPolicyRule : LintRule
{
    public override RuleInfo Info { get; } = new("K8S011", Severity.Error, "Kubernetes",
        "Job pod template without restartPolicy Never/OnFailure", References.K8sJobPodTemplate);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var pod in Workloads.PodTemplates(set).Where(p => p.Owner.Kind is "Job" or "CronJob"))
        {
            var policy = pod.PodSpec.Str("restartPolicy");
            if (policy is "Never" or "OnFailure") continue;
            yield return Finding(pod.Owner.File, pod.PodSpec.LineOf(pod.Owner.Line, policy is null ? [] : ["restartPolicy"]),
                $"{pod.Owner.Display}: restartPolicy is {policy ?? "unset (defaults to Always)"}",
                "The API server rejects Job pod templates with restartPolicy Always (\"Unsupported value: \\\"Always\\\": supported values: " +
                "\\\"OnFailure\\\", \\\"Never\\\"\"), so the object is not created and the scheduled scan never runs.",
                "Set spec.jobTemplate.spec.template.spec.restartPolicy: Never (or OnFailure).");
        }
    }
}
