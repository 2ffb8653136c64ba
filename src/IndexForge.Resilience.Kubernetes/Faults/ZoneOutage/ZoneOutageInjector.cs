using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.ZoneOutage;
using IndexForge.Resilience.Kubernetes.Kube;

namespace IndexForge.Resilience.Kubernetes.Faults.ZoneOutage;

/// <summary>Every Deployment of the zone scaled to zero for the window, back to its own count after.</summary>
public sealed class ZoneOutageInjector(KubeCluster cluster) : KubeInjector<ZoneOutageOptions>(cluster)
{
    public override string Type => FaultTypes.ZoneOutage;

    protected override async Task InjectCoreAsync(ZoneOutageOptions options, FaultContext context, UndoLog undo, Dictionary<string, string> details, CancellationToken ct)
    {
        var selector = $"{KubeLabels.App}={KubeLabels.AppValue},{KubeLabels.Zone}={options.Zone}";
        details["deployments"] = string.Join(",", await Scaling.ScaleToZeroAsync(Cluster, selector, context, undo, ct).ConfigureAwait(false));
    }
}
