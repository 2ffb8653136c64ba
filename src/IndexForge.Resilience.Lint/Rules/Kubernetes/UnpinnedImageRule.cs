using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Kubernetes;

/// <summary>K8S010: images without a tag (latest) or tagged latest, in manifests and compose files.</summary>
public sealed class UnpinnedImageRule : LintRule
{
    public override RuleInfo Info { get; } = new("K8S010", Severity.Error, "Kubernetes",
        "image not pinned", References.K8sImages);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var (pod, container) in ContainerModel.AllContainers(set))
            if (container.Str("image") is { } image && Unpinned(image))
                yield return Make(pod.Owner.File, container.LineOf(container.Line(), "image"), $"{pod.Owner.Display} container {container.Str("name")}", image);
        foreach (var compose in set.ComposeFiles)
        foreach (var service in compose.Services())
            if (service.Image is { } image && Unpinned(image))
                yield return Make(compose.File, service.LineOf("image"), $"compose service {service.Name}", image);
    }

    /// <summary>A template placeholder (<c>${IMAGE}</c>) is filled with a pinned image at render time, not unpinned.</summary>
    public static bool Unpinned(string image) =>
        !image.Contains("${", StringComparison.Ordinal) && !ContainerModel.HasDigest(image) && ContainerModel.Tag(image) is null or "latest";

    private LintFinding Make(string file, int line, string where, string image) => Finding(file, line,
        $"{where}: image {image} is not pinned ({(ContainerModel.Tag(image) is null ? "no tag means latest" : "tag latest")})",
        "Every pull may bring a different version: a node that restarts the pod runs other code than the rest, the behaviour " +
        "under test changes without a commit, and a compromised latest is picked up automatically (with imagePullPolicy Always for :latest).",
        "Pin a version tag (and ideally the digest, image@sha256:...).");
}
