using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using IndexForge.Resilience.Vault.Client;

namespace IndexForge.Resilience.Vault.Server;

/// <summary>How the embedded Vault-compatible server runs (the plan's vault.hcl: storage "file", a TLS listener, auto-unseal).</summary>
public sealed record EmbeddedVaultServerOptions
{
    /// <summary>The <c>storage "file"</c> directory; every acknowledged write is on disk here before the answer goes out.</summary>
    [Required] public string StorageDirectory { get; init; } = "";

    /// <summary>A loopback address, 127.0.0.x, so parallel runs never collide.</summary>
    [Required] public string ListenAddress { get; init; } = EmbeddedVaultServerConstants.DefaultListenAddress;

    /// <summary>0 picks an ephemeral port on the first start; restarts keep the port they got.</summary>
    [Range(0, 65535)] public int Port { get; init; }

    /// <summary>Serve TLS (the plan's <c>tls_disable = 0</c>); false serves plain HTTP, as a dev listener does.</summary>
    public bool Tls { get; init; } = true;

    /// <summary>A server certificate with its private key; unset issues one from a CA generated for this server.</summary>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>The root <see cref="ServerCertificate"/> chains to (required with it); clients trust this.</summary>
    public X509Certificate2? CaCertificate { get; init; }

    [Range(1, 255)] public int KeyShares { get; init; } = EmbeddedVaultServerConstants.DefaultKeyShares;
    [Range(1, 255)] public int KeyThreshold { get; init; } = EmbeddedVaultServerConstants.DefaultKeyThreshold;

    /// <summary>Initialise an empty storage directory on first start (false leaves it for <c>PUT sys/init</c>; health answers 501 until then).</summary>
    public bool Initialize { get; init; } = true;

    /// <summary>Unseal with the known key shares on every start, as the plan's <c>seal "awskms"</c> auto-unseal does.</summary>
    public bool AutoUnseal { get; init; } = true;

    /// <summary>Unseal keys and root token of a directory initialised by an earlier server (a restarted process).</summary>
    public VaultInitResponse? ExistingInitialization { get; init; }

    [Required] public string KvMount { get; init; } = EmbeddedVaultServerConstants.DefaultKvMount;

    /// <summary>As <c>telemetry { unauthenticated_metrics_access = true }</c>: scrapes need no token and work while sealed.</summary>
    public bool UnauthenticatedMetricsAccess { get; init; } = true;

    public string? ClusterName { get; init; }

    public IEnumerable<string> Problems()
    {
        if (!IPAddress.TryParse(ListenAddress, out var address)) yield return $"ListenAddress: '{ListenAddress}' is not an IP address";
        else if (!IPAddress.IsLoopback(address)) yield return $"ListenAddress: {ListenAddress} is not a loopback address (use 127.0.0.x)";
        if (KeyThreshold > KeyShares) yield return $"KeyThreshold: {KeyThreshold} is more than KeyShares {KeyShares}";
        if (KeyShares > 1 && KeyThreshold == 1) yield return "KeyThreshold: must be greater than one for multiple shares";
        if (ServerCertificate is not null && CaCertificate is null) yield return "CaCertificate: required with ServerCertificate";
        if (ServerCertificate is not null && !ServerCertificate.HasPrivateKey) yield return "ServerCertificate: has no private key";
        if (KvMount.Contains('/') || KvMount is "sys" or "auth") yield return $"KvMount: '{KvMount}' is not a mount name";
    }
}
