using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.VaultSeal;

namespace IndexForge.Resilience.Kubernetes.Faults.VaultSeal;

/// <summary>Seals Vault through its API (sys/seal) and unseals it after with the keys the bootstrap kept in memory.</summary>
public sealed class VaultSealInjector(KubeCluster cluster) : KubeInjector<VaultSealOptions>(cluster)
{
    public override string Type => FaultTypes.VaultSeal;

    protected override async Task InjectCoreAsync(VaultSealOptions options, FaultContext context, UndoLog undo, Dictionary<string, string> details, CancellationToken ct)
    {
        var vault = Cluster.Vault ?? throw new FaultInjectionException("this target runs without a Vault of its own");
        Cluster.Guard.EnsureOwned(vault.Namespace, "seal Vault");
        var rootToken = vault.RootToken;
        await using (var session = await vault.OpenAsync(Cluster.Channels, ct).ConfigureAwait(false))
        {
            var before = await session.Api.SealStatusAsync(ct).ConfigureAwait(false);
            if (before.Sealed) throw new FaultInjectionException("Vault is already sealed; refusing to claim a seal this run did not cause");
            await session.Api.SealAsync(rootToken, ct).ConfigureAwait(false);
        }
        undo.Add("unseal Vault", async c =>
        {
            await using var session = await vault.OpenAsync(Cluster.Channels, c).ConfigureAwait(false);
            await vault.UnsealAsync(session.Api, c).ConfigureAwait(false);
        });
        details["vault"] = $"{vault.Namespace}/{vault.Pod}";
        details["sealed"] = "true";
    }
}
