using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Embedded.Faults.VaultOutage;

/// <summary>
/// Stops the embedded Vault process (listener closed: connections refused; memory state gone) for the
/// window and starts it again on the same address at revert, where it auto-unseals from its storage.
/// </summary>
internal sealed class VaultOutageInjector(EmbeddedRuntime runtime) : IFaultInjector
{
    public string Type => FaultTypes.VaultOutage;

    public async Task<IActiveFault> InjectAsync(FaultOptions options, FaultContext context, CancellationToken cancellationToken)
    {
        var server = runtime.RequireSecrets(Type).Server;
        var address = server.Address.ToString();
        await server.StopAsync(cancellationToken);
        context.Emit(new TargetEvent(context.Time.GetUtcNow(), TargetEventKinds.FaultInjected, "vault", "stopped"));
        return new RevertableFault(
            new Dictionary<string, string> { ["vault"] = address, ["mechanism"] = "server stopped (connections refused); restarted on the same address at revert" },
            async ct =>
            {
                await server.StartAsync(ct);
                context.Emit(new TargetEvent(context.Time.GetUtcNow(), TargetEventKinds.FaultReverted, "vault", "started"));
            });
    }
}
