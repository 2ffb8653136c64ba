using System.Globalization;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.CertRotation;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Kubernetes.Kube;
using k8s;
using k8s.Models;

namespace IndexForge.Resilience.Kubernetes.Faults.CertRotation;

/// <summary>
/// Rotates workload certificates the way operators do after an Istio CA rotation: a rolling restart
/// (the pod template's restartedAt annotation, as <c>kubectl rollout restart</c> sets it). New pods get
/// new certificates from istiod; with maxUnavailable 0 each old pod serves until its successor is
/// ready, so traffic must not fail. The mesh's root CA secret is left alone: rotating it is a
/// cluster-wide change no run namespace owns.
/// </summary>
public sealed class CertRotationInjector(KubeCluster cluster) : KubeInjector<CertRotationOptions>(cluster)
{
    public const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

    public override string Type => FaultTypes.CertRotation;

    protected override async Task InjectCoreAsync(CertRotationOptions options, FaultContext context, UndoLog undo, Dictionary<string, string> details, CancellationToken ct)
    {
        var selector = options.Replica is null
            ? $"{KubeLabels.App}={KubeLabels.AppValue}"
            : $"{KubeLabels.Replica}={options.Replica}";
        var list = await Cluster.Client.AppsV1.ListNamespacedDeploymentAsync(Cluster.Namespace, labelSelector: selector, cancellationToken: ct).ConfigureAwait(false);
        if (list.Items.Count == 0) throw new FaultInjectionException($"no Deployment matches {selector}");
        var at = context.Time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var names = new List<string>();
        foreach (var d in list.Items.OrderBy(d => d.Metadata.Name, StringComparer.Ordinal))
        {
            Cluster.Guard.EnsureOwned(Cluster.Namespace, $"restart Deployment {d.Metadata.Name}");
            await Cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(Patches.TemplateAnnotation(RestartedAtAnnotation, at),
                d.Metadata.Name, Cluster.Namespace, cancellationToken: ct).ConfigureAwait(false);
            context.Emit(new TargetEvent(context.Time.GetUtcNow(), TargetEventKinds.CertificateRotated, d.Metadata.Name, "rolling restart: new workload certificate"));
            names.Add(d.Metadata.Name);
        }
        details["method"] = "rolling-restart";
        details["deployments"] = string.Join(",", names);
        details["restartedAt"] = at;
    }
}
