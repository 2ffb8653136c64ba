using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Kubernetes;

/// <summary>K8S013: trivy exits 0 when it finds vulnerabilities unless --exit-code says otherwise.</summary>
public sealed class TrivyExitCodeRule : LintRule
{
    public override RuleInfo Info { get; } = new("K8S013", Severity.Warning, "Kubernetes",
        "security scan cannot fail", References.TrivyExitCode);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var run in TrivyModel.Invocations(set))
        {
            if (run.Args.Any(a => a == "--exit-code" || a.StartsWith("--exit-code=", StringComparison.Ordinal))) continue;
            yield return Finding(run.Pod.Owner.File, run.Line,
                $"{run.Pod.Owner.Display}: trivy image without --exit-code",
                "Trivy exits 0 even when it finds HIGH/CRITICAL vulnerabilities, so the Job always succeeds and nothing (no failed Job, " +
                "no kube_job_status_failed alert) tells anyone about the findings.",
                "Add --exit-code 1 so findings fail the Job, and alert on failed Jobs.");
        }
    }
}
