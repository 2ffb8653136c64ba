using System.Globalization;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.NetworkLatency;

namespace IndexForge.Resilience.Embedded.Faults.NetworkLatency;

/// <summary>
/// One-way latency (± jitter) on the data plane's path to a replica, every replica of a region, or
/// all replicas — in user space, where tc netem would act on a node. Cleared per replica at revert.
/// </summary>
internal sealed class NetworkLatencyInjector(EmbeddedRuntime runtime) : IFaultInjector
{
    public string Type => FaultTypes.NetworkLatency;

    public Task<IActiveFault> InjectAsync(FaultOptions options, FaultContext context, CancellationToken cancellationToken)
    {
        var o = (NetworkLatencyOptions)options;
        IReadOnlyList<string> targets = o.Replica is { } replica ? [runtime.Replicas[replica].ReplicaId]
            : o.Region is { } region ? runtime.Mesh.EndpointsIn(region)
            : runtime.Mesh.Endpoints.Select(e => e.Id).ToArray();
        if (targets.Count == 0) throw new FaultInjectionException($"network-latency: {o.Subject} has no replicas");
        foreach (var id in targets) runtime.Mesh.SetNetworkLatency(id, o.Delay, o.Jitter);
        var details = new Dictionary<string, string>
        {
            ["replicas"] = string.Join(",", targets),
            ["delay"] = $"{o.Delay.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}ms",
            ["jitter"] = $"{o.Jitter.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}ms",
            ["mechanism"] = "user-space delay on the data plane's upstream path (no netem)",
        };
        return Task.FromResult<IActiveFault>(new RevertableFault(details, _ =>
        {
            foreach (var id in targets) runtime.Mesh.ClearNetworkLatency(id);
            return Task.CompletedTask;
        }));
    }
}
