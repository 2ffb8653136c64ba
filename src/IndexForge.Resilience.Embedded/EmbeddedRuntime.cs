using IndexForge.Resilience.Embedded.Replicas;
using IndexForge.Resilience.Mesh;
using IndexForge.Resilience.Mesh.Security;

namespace IndexForge.Resilience.Embedded;

/// <summary>Everything one embedded environment runs; injectors act on it. Disposal frees every port.</summary>
public sealed class EmbeddedRuntime : IAsyncDisposable
{
    public required MeshCertificateAuthority Ca { get; init; }
    public required ReplicaSet Replicas { get; init; }
    public required IReadOnlyDictionary<string, MeshInbound> Inbounds { get; init; }
    public required MeshDataPlane Mesh { get; init; }
    public Secrets.EmbeddedSecrets? Secrets { get; init; }
    /// <summary>Region of the calling workload; probes without a replica target its first replica.</summary>
    public string CallerRegion { get; init; } = "";

    /// <summary>The Vault side, or a clear error for a fault that needs it when the scenario has no <c>secrets:</c>.</summary>
    public Secrets.EmbeddedSecrets RequireSecrets(string faultType) =>
        Secrets ?? throw new Core.Faults.FaultInjectionException($"{faultType} needs a Vault: add a secrets: section to the scenario");

    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _background = [];

    /// <summary>
    /// Runs work that outlives an injection (a delayed revocation) bounded by this environment:
    /// cancelled through the token when <paramref name="revert"/> or disposal comes first, awaited on disposal.
    /// </summary>
    public void RunInBackground(Func<CancellationToken, Task> work, CancellationToken revert)
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, revert);
        var task = Task.Run(async () =>
        {
            try
            {
                await work(linked.Token);
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                // the run ended first: nothing left to do
            }
            finally
            {
                linked.Dispose();
            }
        }, CancellationToken.None);
        lock (_background) _background.Add(task);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Task[] background;
        lock (_background) background = [.. _background];
        await Task.WhenAll(background);
        _stopping.Dispose();
        // Stop the load path first (entry point), then what it forwards to, then Vault.
        await Mesh.DisposeAsync();
        await Replicas.DisposeAsync();
        if (Secrets is not null) await Secrets.DisposeAsync();
        Ca.Dispose();
    }
}
