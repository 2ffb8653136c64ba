using System.Globalization;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.ReplicaLatency;

namespace IndexForge.Resilience.Kubernetes.Faults.ReplicaLatency;

/// <summary>The replica answers <c>Delay</c> late for <c>Rate</c> of its requests (its chaos endpoint); cleared after.</summary>
public sealed class ReplicaLatencyInjector(KubeCluster cluster) : KubeInjector<ReplicaLatencyOptions>(cluster)
{
    /// <summary>The chaos body needs a status code even when no error is asked for; 500 is the service's default.</summary>
    private const int UnusedStatusCode = 500;

    public override string Type => FaultTypes.ReplicaLatency;

    protected override async Task InjectCoreAsync(ReplicaLatencyOptions options, FaultContext context, UndoLog undo, Dictionary<string, string> details, CancellationToken ct)
    {
        var ms = (int)Math.Round(options.Delay.TotalMilliseconds);
        var pod = await ChaosControl.SetAsync(Cluster, options.Replica, ChaosControl.Body(0, UnusedStatusCode, ms, options.Rate), undo, ct).ConfigureAwait(false);
        details["pod"] = pod;
        details["latencyMs"] = ms.ToString(CultureInfo.InvariantCulture);
        details["rate"] = options.Rate.ToString(CultureInfo.InvariantCulture);
    }
}
