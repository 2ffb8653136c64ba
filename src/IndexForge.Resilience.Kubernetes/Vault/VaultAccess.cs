using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using IndexForge.Resilience.Kubernetes.Kube;

namespace IndexForge.Resilience.Kubernetes.Vault;

/// <summary>
/// How the harness reaches the run's Vault: a port-forward to its pod and TLS trusting the CA the
/// harness made for it. The unseal keys and root token live here, in memory only.
/// </summary>
public sealed class VaultAccess
{
    public required string Namespace { get; init; }
    public string StatefulSet { get; init; } = VaultConstants.StatefulSetName;
    public string Pod { get; init; } = VaultConstants.PodName;
    public int Port { get; init; } = VaultConstants.Port;
    /// <summary>The CA Vault's server certificate chains to; null talks plain HTTP (tests only).</summary>
    public X509Certificate2? CaCertificate { get; init; }
    public required VaultKvPath SecretPath { get; init; }
    /// <summary>Set by the bootstrap; null for a Vault the run did not initialise (then seal and rotation are refused).</summary>
    public VaultInitResult? Keys { get; set; }
    public Func<HttpClient, IVaultApi> ApiFactory { get; init; } = h => new VaultHttpApi(h);

    public string RootToken => Keys?.RootToken
        ?? throw new InvalidOperationException("this run does not hold Vault's root token (Vault was not initialised by the harness)");

    public async Task<VaultSession> OpenAsync(IPodChannelFactory channels, CancellationToken ct)
    {
        var channel = await channels.OpenAsync(Namespace, Pod, Port, ct).ConfigureAwait(false);
        var http = CreateHttpClient(channel.LocalAddress);
        return new VaultSession(channel, http, ApiFactory(http));
    }

    /// <summary>Unseals with the kept keys until Vault reports unsealed.</summary>
    public async Task<VaultSealStatus> UnsealAsync(IVaultApi api, CancellationToken ct)
    {
        var keys = Keys?.Keys ?? throw new InvalidOperationException("no unseal keys: Vault was not initialised by this run");
        var status = await api.SealStatusAsync(ct).ConfigureAwait(false);
        foreach (var key in keys)
        {
            if (!status.Sealed) break;
            status = await api.UnsealAsync(key, ct).ConfigureAwait(false);
        }
        return status.Sealed ? throw new VaultApiException("vault is still sealed after every kept unseal key", 503) : status;
    }

    private HttpClient CreateHttpClient(Uri local)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = VaultConstants.ConnectTimeout };
        if (CaCertificate is { } ca)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) =>
            {
                // Only the chain is checked against our CA: the certificate names vault.<ns>.svc and 127.0.0.1.
                if (cert is null || (errors & ~(SslPolicyErrors.RemoteCertificateChainErrors)) != SslPolicyErrors.None) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(cert));
            };
        }
        var scheme = CaCertificate is null ? "http" : "https";
        return new HttpClient(handler) { BaseAddress = new Uri($"{scheme}://127.0.0.1:{local.Port}/"), Timeout = VaultConstants.RequestTimeout };
    }
}

public sealed class VaultSession(IPodChannel channel, HttpClient http, IVaultApi api) : IAsyncDisposable
{
    public IVaultApi Api { get; } = api;

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await channel.DisposeAsync().ConfigureAwait(false);
    }
}

public static class VaultConstants
{
    public const string StatefulSetName = "vault";
    public const string PodName = "vault-0";
    public const int Port = 8200;
    public const int KeyShares = 3;
    public const int KeyThreshold = 2;
    public const string ServicePolicy = "indexforge-service";
    public static readonly TimeSpan ServiceTokenTtl = TimeSpan.FromHours(24);
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan RotationInterval = TimeSpan.FromDays(30);
}
