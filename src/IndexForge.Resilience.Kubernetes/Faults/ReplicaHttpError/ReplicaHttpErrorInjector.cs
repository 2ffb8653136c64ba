using System.Globalization;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.ReplicaHttpError;

namespace IndexForge.Resilience.Kubernetes.Faults.ReplicaHttpError;

/// <summary>The replica answers <c>StatusCode</c> for <c>Rate</c> of its requests (its chaos endpoint); cleared after.</summary>
public sealed class ReplicaHttpErrorInjector(KubeCluster cluster) : KubeInjector<ReplicaHttpErrorOptions>(cluster)
{
    public override string Type => FaultTypes.ReplicaHttpError;

    protected override async Task InjectCoreAsync(ReplicaHttpErrorOptions options, FaultContext context, UndoLog undo, Dictionary<string, string> details, CancellationToken ct)
    {
        var pod = await ChaosControl.SetAsync(Cluster, options.Replica, ChaosControl.Body(options.Rate, options.StatusCode, 0, 0), undo, ct).ConfigureAwait(false);
        details["pod"] = pod;
        details["rate"] = options.Rate.ToString(CultureInfo.InvariantCulture);
        details["statusCode"] = options.StatusCode.ToString(CultureInfo.InvariantCulture);
    }
}
