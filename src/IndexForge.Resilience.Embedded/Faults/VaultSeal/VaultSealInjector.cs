using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Embedded.Faults.VaultSeal;

/// <summary>Seals the embedded Vault (as PUT sys/seal) for the window; unseals with the key shares it holds at revert.</summary>
internal sealed class VaultSealInjector(EmbeddedRuntime runtime) : IFaultInjector
{
    public string Type => FaultTypes.VaultSeal;

    public async Task<IActiveFault> InjectAsync(FaultOptions options, FaultContext context, CancellationToken cancellationToken)
    {
        var server = runtime.RequireSecrets(Type).Server;
        await server.SealAsync(cancellationToken);
        context.Emit(new TargetEvent(context.Time.GetUtcNow(), TargetEventKinds.FaultInjected, "vault", "sealed"));
        return new RevertableFault(
            new Dictionary<string, string> { ["vault"] = server.Address.ToString(), ["mechanism"] = "sys/seal; unsealed with the held key shares at revert" },
            async ct =>
            {
                await server.UnsealAsync(ct);
                context.Emit(new TargetEvent(context.Time.GetUtcNow(), TargetEventKinds.FaultReverted, "vault", "unsealed"));
            });
    }
}
