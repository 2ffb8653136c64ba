using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.ReplicaKill;
using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Embedded.Faults.ReplicaKill;

/// <summary>Stops the replica's server without draining (connections refused) and restarts it on the same address at revert.</summary>
internal sealed class ReplicaKillInjector(EmbeddedRuntime runtime) : IFaultInjector
{
    public string Type => FaultTypes.ReplicaKill;

    public async Task<IActiveFault> InjectAsync(FaultOptions options, FaultContext context, CancellationToken cancellationToken)
    {
        var o = (ReplicaKillOptions)options;
        await ReplicaStopper.StopAsync([runtime.Replicas[o.Replica]], context, cancellationToken);
        return new RevertableFault(
            new Dictionary<string, string> { ["replica"] = o.Replica, ["mechanism"] = "server stopped without drain; restarted on the same address" },
            ct => ReplicaStopper.StartAsync([runtime.Replicas[o.Replica]], context, ct));
    }
}

internal static class ReplicaStopper
{
    public static async Task StopAsync(IEnumerable<SampleService.SampleServiceHost> hosts, FaultContext context, CancellationToken cancellationToken)
    {
        foreach (var host in hosts)
        {
            await host.StopAsync(cancellationToken);
            context.Emit(new TargetEvent(context.Time.GetUtcNow(), TargetEventKinds.ReplicaStopped, host.ReplicaId, "stopped"));
        }
    }

    public static async Task StartAsync(IEnumerable<SampleService.SampleServiceHost> hosts, FaultContext context, CancellationToken cancellationToken)
    {
        foreach (var host in hosts)
        {
            await host.StartAsync(cancellationToken);
            context.Emit(new TargetEvent(context.Time.GetUtcNow(), TargetEventKinds.ReplicaStarted, host.ReplicaId, "started"));
        }
    }
}
