using System.Text.RegularExpressions;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Kubernetes;

/// <summary>K8S012: `trivy image` takes one image reference; a wildcard like indexforge/* is not one.</summary>
public sealed partial class TrivyTargetRule : LintRule
{
    public override RuleInfo Info { get; } = new("K8S012", Severity.Error, "Kubernetes",
        "security scan target is not an image reference", References.TrivyImageTarget);

    [GeneratedRegex(@"^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$")]
    private static partial Regex ImageReference();

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var run in TrivyModel.Invocations(set))
        {
            var bad = run.Targets.Where(t => !ImageReference().IsMatch(t)).ToList();
            if (run.Targets.Count == 1 && bad.Count == 0) continue;
            var problem = run.Targets.Count == 0 ? "no image to scan" : $"{string.Join(" ", run.Targets)} is not a single image reference";
            yield return Finding(run.Pod.Owner.File, run.Line,
                $"{run.Pod.Owner.Display}: trivy image with {problem}",
                "trivy image scans exactly one image reference and does not expand wildcards: it fails with \"could not parse reference\" " +
                "on every run, so the weekly scan never scans anything (and reports only a failed Job).",
                "Scan each image explicitly (one trivy image call per pinned image, e.g. indexforge/search:0.1.0), or scan the registry with a tool that lists it.");
        }
    }
}
