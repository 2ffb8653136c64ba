using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Kubernetes;

/// <summary>K8S008: runAsNonRoot with an image that runs as root (and no runAsUser) never starts.</summary>
public sealed class RunAsNonRootImageRule : LintRule
{
    public override RuleInfo Info { get; } = new("K8S008", Severity.Error, "Kubernetes",
        "runAsNonRoot contradicts the container's user", References.K8sSecurityContext);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var (pod, container) in ContainerModel.AllContainers(set))
        {
            if (!ContainerModel.IsTrue(ContainerModel.Effective(pod, container, "runAsNonRoot"))) continue;
            var line = container.LineOf(container.Line(), "securityContext");
            var name = container.Str("name");
            var runAsUser = ContainerModel.Effective(pod, container, "runAsUser");
            if (runAsUser == "0")
            {
                yield return Finding(pod.Owner.File, line, $"{pod.Owner.Display} container {name}: runAsNonRoot: true with runAsUser: 0",
                    "The kubelet refuses to start the container (CreateContainerConfigError), so the pod never runs.",
                    "Set runAsUser to a non-zero UID the image can run as.");
                continue;
            }
            if (runAsUser is not null || container.Str("image") is not { } image) continue;
            if (!ContainerModel.KnownImageUsers.TryGetValue(ContainerModel.Repository(image), out var user)) continue;
            if (user is null)
                yield return Finding(pod.Owner.File, line, $"{pod.Owner.Display} container {name}: runAsNonRoot: true but image {image} runs as root and no runAsUser is set",
                    "The kubelet checks the image's user before start: \"container has runAsNonRoot and image will run as root\"; the pod stays in CreateContainerConfigError.",
                    "Set runAsUser (and runAsGroup/fsGroup) to a non-zero UID, and give the process a writable cache/home directory.");
            else if (!user.All(char.IsDigit))
                yield return Finding(pod.Owner.File, line, $"{pod.Owner.Display} container {name}: runAsNonRoot: true but image {image} names its user ({user}), not a UID",
                    "The kubelet cannot verify a non-numeric user: \"image has non-numeric user, cannot verify user is non-root\"; the container is not started.",
                    "Set runAsUser to the user's numeric UID.");
        }
    }
}
