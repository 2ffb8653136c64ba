using System.Globalization;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.ReplicaLatency;

namespace IndexForge.Resilience.Embedded.Faults.ReplicaLatency;

/// <summary>Turns on the replica's own Polly latency chaos for a fraction of its API requests.</summary>
internal sealed class ReplicaLatencyInjector(EmbeddedRuntime runtime) : IFaultInjector
{
    public string Type => FaultTypes.ReplicaLatency;

    public Task<IActiveFault> InjectAsync(FaultOptions options, FaultContext context, CancellationToken cancellationToken)
    {
        var o = (ReplicaLatencyOptions)options;
        var host = runtime.Replicas[o.Replica];
        var before = host.Chaos.Settings;
        host.Chaos.Settings = before with { LatencyMs = (int)o.Delay.TotalMilliseconds, LatencyRate = o.Rate };
        var details = new Dictionary<string, string>
        {
            ["replica"] = o.Replica,
            ["delay"] = $"{o.Delay.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}ms",
            ["rate"] = o.Rate.ToString("0.###", CultureInfo.InvariantCulture),
            ["mechanism"] = "Polly chaos latency strategy inside the replica",
        };
        return Task.FromResult<IActiveFault>(new RevertableFault(details, _ =>
        {
            host.Chaos.Settings = host.Chaos.Settings with { LatencyMs = before.LatencyMs, LatencyRate = before.LatencyRate };
            return Task.CompletedTask;
        }));
    }
}
