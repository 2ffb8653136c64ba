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

    public async ValueTask DisposeAsync()
    {
        // Stop the load path first (entry point), then what it forwards to, then Vault.
        await Mesh.DisposeAsync();
        await Replicas.DisposeAsync();
        if (Secrets is not null) await Secrets.DisposeAsync();
        Ca.Dispose();
    }
}
