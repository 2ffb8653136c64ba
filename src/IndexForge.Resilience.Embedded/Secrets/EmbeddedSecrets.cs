using IndexForge.Resilience.Core.Scenarios;
using IndexForge.Resilience.Core.Running;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.SampleService;
using IndexForge.Resilience.Vault.Client;
using IndexForge.Resilience.Vault.Consumption;
using IndexForge.Resilience.Vault.Rotation;
using IndexForge.Resilience.Vault.Server;
using IndexForge.Resilience.Vault.Server.Auth;

namespace IndexForge.Resilience.Embedded.Secrets;

/// <summary>
/// The embedded target's Vault side: an embedded Vault-compatible server (TLS, file storage under the
/// run's work directory), the service credential written by the plan's rotation job, one
/// <see cref="SecretCache"/> per replica on a read-only token, and the caller's
/// <see cref="CallerCredentialSource"/>. The root token stays in memory, in this object only.
/// </summary>
public sealed class EmbeddedSecrets : IAsyncDisposable
{
    public const string ServicePolicy = "indexforge-search";
    public const string KvPrefix = "indexforge/";

    private readonly Dictionary<string, SecretCache> _caches = new(StringComparer.Ordinal);
    private readonly List<VaultClient> _clients = [];
    private CallerCredentialSource? _caller;

    private EmbeddedSecrets(EmbeddedVaultServer server, VaultClient admin, string path, SecretsSpec spec, TimeProvider time)
    {
        Server = server;
        Admin = admin;
        Path = path;
        Spec = spec;
        Time = time;
        MetricsClient = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = VaultTls.TrustOnly(server.CaCertificate!) } });
    }

    public EmbeddedVaultServer Server { get; }
    /// <summary>The harness's own client (root token): rotation, seal, revocation.</summary>
    public VaultClient Admin { get; }
    /// <summary>KV v2 path under the <c>secret/</c> mount.</summary>
    public string Path { get; }
    public SecretsSpec Spec { get; }
    public TimeProvider Time { get; }
    public HttpClient MetricsClient { get; }
    public Uri MetricsEndpoint => new(Server.Address, "/v1/sys/metrics?format=prometheus");
    public IReadOnlyDictionary<string, SecretCache> Caches => _caches;

    /// <summary>The caller adopts a new version only after every replica has had two refreshes to pick it up.</summary>
    public TimeSpan AdoptAfter => Spec.RefreshInterval * 2 + EmbeddedSecretsConstants.AdoptMargin;

    public IReadOnlyList<NamedEndpoint> Endpoints =>
    [
        new("vault", Server.Address, "embedded Vault-compatible API (TLS; CA in the run's work directory); e.g. /v1/sys/health"),
        new("vault-metrics", MetricsEndpoint, "Vault metrics (vault_core_unsealed) in Prometheus text"),
    ];

    public Func<string?> CallerCredential => () => _caller?.Current;

    public static async Task<EmbeddedSecrets> StartAsync(SecretsSpec spec, TopologySpec topology, TargetRequest request, CancellationToken cancellationToken)
    {
        var path = spec.Path;
        var server = new EmbeddedVaultServer(new EmbeddedVaultServerOptions
        {
            StorageDirectory = System.IO.Path.Combine(request.WorkDirectory, "vault"),
            Tls = true,
        }, request.Time);
        EmbeddedSecrets? secrets = null;
        try
        {
            await server.StartAsync(cancellationToken);
            var admin = new VaultClient(new VaultClientOptions { Address = server.Address, CaCertificate = server.CaCertificate }, server.RootToken, time: request.Time);
            secrets = new EmbeddedSecrets(server, admin, path, spec, request.Time);

            // The first version is written exactly as a rotation would, so it carries rotation_date/next_rotation too.
            var first = await secrets.RotationJob(TimeSpan.FromSeconds(1)).RotateAsync(null, cancellationToken);
            if (!first.Succeeded) throw new TargetException($"could not write the initial secret: {first.Error}");

            server.PutPolicy(VaultPolicy.KvData(ServicePolicy, KvPrefix, VaultCapabilities.Read));
            foreach (var replica in topology.ReplicaIds())
            {
                var cache = new SecretCache(secrets.Client(ServicePolicy), new SecretCacheOptions
                {
                    Path = path,
                    RefreshInterval = spec.RefreshInterval,
                    Overlap = spec.Overlap,
                }, request.Time);
                await cache.StartAsync(cancellationToken);
                secrets._caches[replica.Id] = cache;
            }
            secrets._caller = new CallerCredentialSource(secrets.Client(ServicePolicy), new CallerCredentialOptions
            {
                Path = path,
                RefreshInterval = spec.RefreshInterval,
                AdoptAfter = secrets.AdoptAfter,
            }, request.Time);
            await secrets._caller.StartAsync(cancellationToken);
            return secrets;
        }
        catch
        {
            if (secrets is not null) await secrets.DisposeAsync();
            else await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client on a fresh token limited to the service's policy.</summary>
    private VaultClient Client(string policy)
    {
        var client = new VaultClient(new VaultClientOptions { Address = Server.Address, CaCertificate = Server.CaCertificate },
            Server.CreateToken(new VaultPolicy(policy, [new VaultPolicyRule($"secret/data/{KvPrefix}*", VaultCapabilities.Read)])), time: Time);
        _clients.Add(client);
        return client;
    }

    public SecretRotationJob RotationJob(TimeSpan verifyWithin) =>
        new(Admin, new SecretRotationJobOptions { Path = Path, VerifyWithin = verifyWithin }, time: Time);

    /// <summary>Each replica's current version, as the rotation job verifies it.</summary>
    public Task<IReadOnlyDictionary<string, int>> ReplicaVersionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, int>>(_caches.ToDictionary(kv => kv.Key, kv => kv.Value.CurrentVersion));

    public ICredentialValidator ValidatorFor(string replicaId) => new CacheValidator(_caches[replicaId], Time);

    public async ValueTask DisposeAsync()
    {
        if (_caller is not null) await _caller.DisposeAsync();
        foreach (var cache in _caches.Values) await cache.DisposeAsync();
        foreach (var client in _clients) client.Dispose();
        Admin.Dispose();
        MetricsClient.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>What the sample service asks of its credential: backed by the replica's cache.</summary>
    private sealed class CacheValidator(SecretCache cache, TimeProvider time) : ICredentialValidator
    {
        public bool Accepts(string presented) => cache.IsAccepted(presented);
        public int? CurrentVersion => cache.CurrentVersion == 0 ? null : cache.CurrentVersion;

        public IReadOnlyList<int> AcceptedVersions
        {
            get
            {
                var status = cache.Status;
                var list = new List<int>();
                if (status.CurrentVersion > 0) list.Add(status.CurrentVersion);
                if (status.PreviousVersion is { } p && status.PreviousAcceptedUntil is { } until && until > time.GetUtcNow()) list.Add(p);
                return list;
            }
        }

        public TimeSpan Staleness => cache.Status.Staleness;
        public string? LastError => cache.Status.LastError;
    }
}

public static class EmbeddedSecretsConstants
{
    /// <summary>Slack on top of two replica refreshes before the caller adopts a new version.</summary>
    public static readonly TimeSpan AdoptMargin = TimeSpan.FromMilliseconds(500);
}
