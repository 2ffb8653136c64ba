using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.RegionOutage;
using IndexForge.Resilience.Embedded.Faults.ReplicaKill;

namespace IndexForge.Resilience.Embedded.Faults.RegionOutage;

/// <summary>
/// Fails a whole region for the window: <c>fail</c> makes every replica answer 503 (what outlier
/// detection must notice), <c>stop</c> stops them (connect failures).
/// </summary>
internal sealed class RegionOutageInjector(EmbeddedRuntime runtime) : IFaultInjector
{
    public const int FailStatus = 503;

    public string Type => FaultTypes.RegionOutage;

    public async Task<IActiveFault> InjectAsync(FaultOptions options, FaultContext context, CancellationToken cancellationToken)
    {
        var o = (RegionOutageOptions)options;
        var hosts = runtime.Replicas.InRegion(o.Region).ToList();
        var details = new Dictionary<string, string> { ["region"] = o.Region, ["mode"] = o.Mode, ["replicas"] = string.Join(",", hosts.Select(h => h.ReplicaId)) };
        if (o.Mode == "stop")
        {
            await ReplicaStopper.StopAsync(hosts, context, cancellationToken);
            return new RevertableFault(details, ct => ReplicaStopper.StartAsync(hosts, context, ct));
        }
        var before = hosts.ToDictionary(h => h, h => h.Chaos.Settings);
        foreach (var h in hosts) h.Chaos.Settings = h.Chaos.Settings with { ErrorRate = 1.0, StatusCode = FailStatus };
        return new RevertableFault(details, _ =>
        {
            foreach (var (h, s) in before) h.Chaos.Settings = h.Chaos.Settings with { ErrorRate = s.ErrorRate, StatusCode = s.StatusCode };
            return Task.CompletedTask;
        });
    }
}
