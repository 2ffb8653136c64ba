using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.RegionOutage;
using IndexForge.Resilience.Kubernetes.Kube;

namespace IndexForge.Resilience.Kubernetes.Faults.RegionOutage;

/// <summary>
/// Mode stop: every Deployment of the region scaled to zero (restored after). Mode fail: every
/// replica of the region answers 503 through its chaos endpoint (cleared after), which feeds
/// outlier detection the way a sick region does.
/// </summary>
public sealed class RegionOutageInjector(KubeCluster cluster) : KubeInjector<RegionOutageOptions>(cluster)
{
    public const int FailStatus = 503;

    public override string Type => FaultTypes.RegionOutage;

    protected override async Task InjectCoreAsync(RegionOutageOptions options, FaultContext context, UndoLog undo, Dictionary<string, string> details, CancellationToken ct)
    {
        var selector = $"{KubeLabels.App}={KubeLabels.AppValue},{KubeLabels.Region}={options.Region}";
        details["mode"] = options.Mode;
        if (options.Mode == "stop")
        {
            details["deployments"] = string.Join(",", await Scaling.ScaleToZeroAsync(Cluster, selector, context, undo, ct).ConfigureAwait(false));
            return;
        }
        var pods = await Cluster.RunningPodsAsync(selector, ct).ConfigureAwait(false);
        if (pods.Count == 0) throw new FaultInjectionException($"region {options.Region} has no running pod in namespace {Cluster.Namespace}");
        var replicas = pods.Select(p => p.Metadata.Labels[KubeLabels.Replica]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var replica in replicas)
            await ChaosControl.SetAsync(Cluster, replica, ChaosControl.Body(1.0, FailStatus, 0, 0), undo, ct).ConfigureAwait(false);
        details["replicas"] = string.Join(",", replicas);
    }
}
