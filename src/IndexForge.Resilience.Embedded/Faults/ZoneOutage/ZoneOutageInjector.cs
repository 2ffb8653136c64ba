using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.ZoneOutage;
using IndexForge.Resilience.Embedded.Faults.ReplicaKill;

namespace IndexForge.Resilience.Embedded.Faults.ZoneOutage;

/// <summary>Stops every replica of a zone for the window.</summary>
internal sealed class ZoneOutageInjector(EmbeddedRuntime runtime) : IFaultInjector
{
    public string Type => FaultTypes.ZoneOutage;

    public async Task<IActiveFault> InjectAsync(FaultOptions options, FaultContext context, CancellationToken cancellationToken)
    {
        var o = (ZoneOutageOptions)options;
        var hosts = runtime.Replicas.InZone(o.Zone).ToList();
        await ReplicaStopper.StopAsync(hosts, context, cancellationToken);
        return new RevertableFault(
            new Dictionary<string, string> { ["zone"] = o.Zone, ["replicas"] = string.Join(",", hosts.Select(h => h.ReplicaId)) },
            ct => ReplicaStopper.StartAsync(hosts, context, ct));
    }
}
