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

    /// <summary>An existing Vault reached directly (kubeconfig <c>--vault-address</c>); null: the run's own Vault through a port-forward.</summary>
    public Uri? Address { get; init; }
    /// <summary>The token for an existing Vault (from VAULT_TOKEN): in memory only, never logged, never stored in the cluster.</summary>
    public string? ExternalToken { get; init; }

    public bool IsExternal => Address is not null;

    /// <summary>Seal and outage need this: only a Vault the run initialised has one (an existing Vault's is never asked for).</summary>
    public string RootToken => Keys?.RootToken
        ?? throw new InvalidOperationException("this run does not hold Vault's root token (Vault was not initialised by the harness)");

    /// <summary>The token for reads and writes of the run's secret: the root token of the run's Vault, or VAULT_TOKEN for an existing one.</summary>
    public string AccessToken => Keys?.RootToken ?? ExternalToken
        ?? throw new InvalidOperationException("no Vault token: Vault was not initialised by the harness and VAULT_TOKEN was not given");

    public async Task<VaultSession> OpenAsync(IPodChannelFactory channels, CancellationToken ct)
    {
        if (Address is { } address)
        {
            var direct = CreateHttpClient(address);
            return new VaultSession(null, direct, ApiFactory(direct));
        }
        var channel = await channels.OpenAsync(Namespace, Pod, Port, ct).ConfigureAwait(false);
        var http = CreateHttpClient(new Uri($"{(CaCertificate is null ? "http" : "https")}://127.0.0.1:{channel.LocalAddress.Port}/"));
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

    private HttpClient CreateHttpClient(Uri baseAddress)
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
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = VaultConstants.RequestTimeout };
    }
}

public sealed class VaultSession(IPodChannel? channel, HttpClient http, IVaultApi api) : IAsyncDisposable
{
    public IVaultApi Api { get; } = api;

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        if (channel is not null) await channel.DisposeAsync().ConfigureAwait(false);
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
