using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Kubernetes;

/// <summary>K8S007: readOnlyRootFilesystem without a writable /tmp breaks runtimes that write temp files.</summary>
public sealed class ReadOnlyRootWithoutTmpRule : LintRule
{
    public override RuleInfo Info { get; } = new("K8S007", Severity.Warning, "Kubernetes",
        "readOnlyRootFilesystem without a writable /tmp", References.K8sEmptyDir);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var (pod, container) in ContainerModel.AllContainers(set))
        {
            if (!ContainerModel.IsTrue(container.Str("securityContext", "readOnlyRootFilesystem"))) continue;
            var mounts = container.Seq("volumeMounts").Items().Select(m => m.Str("mountPath")).ToList();
            if (mounts.Any(m => m is "/tmp" or "/tmp/")) continue;
            yield return Finding(pod.Owner.File, container.LineOf(container.Line(), "securityContext", "readOnlyRootFilesystem"),
                $"{pod.Owner.Display} container {container.Str("name")}: readOnlyRootFilesystem: true with nothing writable at /tmp",
                "The .NET runtime (diagnostics IPC sockets, ASP.NET Core temp files), Python and most TLS/HTTP libraries write to /tmp; " +
                "with a read-only root they fail at start-up or on the first large request with EROFS \"Read-only file system\".",
                "Mount an emptyDir at /tmp (volumes: - name: tmp, emptyDir: {sizeLimit: 64Mi}; volumeMounts: - name: tmp, mountPath: /tmp).");
        }
    }
}
