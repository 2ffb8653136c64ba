using System.Globalization;
using System.Text;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Metrics;
using IndexForge.Resilience.Core.Metrics.PrometheusApi;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Kubernetes.Clusters;
using IndexForge.Resilience.Kubernetes.Faults;
using IndexForge.Resilience.Kubernetes.Guard;
using IndexForge.Resilience.Kubernetes.Kube;
using IndexForge.Resilience.Kubernetes.Metrics;
using IndexForge.Resilience.Kubernetes.Vault;
using k8s;
using k8s.Models;

namespace IndexForge.Resilience.Kubernetes.Targets;

/// <summary>
/// What the k3s and kubeconfig targets share: a labelled run namespace with an expiry, Vault
/// (initialised and unsealed here, keys in memory), Prometheus with the mesh's rules, the mesh's
/// Istio resources, one Deployment per replica, port-forwards for the entry point and metrics,
/// and a teardown that is safe to run twice.
/// </summary>
public abstract partial class KubernetesTargetBase(TargetOptions options, Action<string>? progress) : ITarget
{
    private readonly List<IPodChannel> _channels = [];
    private readonly List<TargetEvent> _events = [];
    private readonly Lock _eventsGate = new();
    private KubeCluster? _cluster;
    private IMetricsSource? _metrics;
    private int _down;

    public abstract string Name { get; }
    protected TargetOptions Options { get; } = options;
    protected string RepositoryRoot => Options.RepositoryRoot ?? throw new KubernetesTargetException("the repository root is not known (RepositoryRoot)");
    protected string ClustersDir => Path.Combine(RepositoryRoot, "clusters");
    protected ClusterVersions Versions => field ??= ClusterVersions.Load(Path.Combine(ClustersDir, "versions.yaml"));
    protected IKubernetes? Client { get; private set; }
    protected TimeProvider Time { get; private set; } = TimeProvider.System;

    /// <summary>The run namespace (set once up).</summary>
    public string? RunNamespace => _cluster?.Namespace;

    public virtual IReadOnlyCollection<string> SupportedFaults { get; } =
    [
        FaultTypes.ReplicaKill, FaultTypes.RegionOutage, FaultTypes.ZoneOutage, FaultTypes.ReplicaHttpError, FaultTypes.ReplicaLatency,
        FaultTypes.MeshFault, FaultTypes.VaultSeal, FaultTypes.VaultOutage, FaultTypes.SecretRotation, FaultTypes.CertRotation,
        FaultTypes.UnauthorizedSourceProbe, FaultTypes.PlaintextProbe, FaultTypes.ForeignCaProbe, FaultTypes.ExpiredCertProbe,
        FaultTypes.TlsVersionProbe, FaultTypes.WeakCipherProbe,
    ];

    public IMetricsSource Metrics => _metrics ?? throw new InvalidOperationException($"{Name}: metrics are available once the target is up");

    /// <summary>Connects to (or creates) the cluster and returns its API client.</summary>
    protected abstract Task<IKubernetes> ConnectAsync(TargetRequest request, CancellationToken ct);

    /// <summary>Cluster-wide installs the target owns (k3s: Istio); none on a shared cluster.</summary>
    protected virtual Task InstallClusterAsync(IKubernetes client, TargetRequest request, CancellationToken ct) => Task.CompletedTask;

    /// <summary>The sample-service image reference the cluster can run.</summary>
    protected abstract Task<string> SampleServiceImageAsync(TargetRequest request, CancellationToken ct);

    /// <summary>Where the ingress gateway runs, for the entry point's port-forward.</summary>
    protected virtual (string Namespace, string Selector) IngressGateway => ("istio-system", "istio=ingressgateway");

    protected virtual Task TeardownClusterAsync(CancellationToken ct) => Task.CompletedTask;

    protected void Progress(string message) => progress?.Invoke($"[{Name}] {message}");

    public async Task<TargetEnvironment> UpAsync(TargetRequest request, CancellationToken cancellationToken)
    {
        Time = request.Time;
        try
        {
            Progress("connecting to the cluster");
            Client = await ConnectAsync(request, cancellationToken).ConfigureAwait(false);
            await InstallClusterAsync(Client, request, cancellationToken).ConfigureAwait(false);
            var image = await SampleServiceImageAsync(request, cancellationToken).ConfigureAwait(false);
            return WithLoadAgents(await InstallRunAsync(Client, request, image, cancellationToken).ConfigureAwait(false), request);
        }
        catch (Exception e) when (e is not KubernetesTargetException and not OperationCanceledException)
        {
            throw new KubernetesTargetException($"{Name}: bringing the environment up failed: {e.Message}", e);
        }
    }

    private async Task<TargetEnvironment> InstallRunAsync(IKubernetes client, TargetRequest request, string image, CancellationToken ct)
    {
        var resources = new ResourceClient(client);
        var ns = RunNamespaces.NameFor(request.RunId);
        Progress($"creating namespace {ns}");
        await resources.ApplyAsync(RunNamespaces.Build(ns, request.RunId, request.Time.GetUtcNow() + KubeConstants.DefaultNamespaceTtl), null, ct).ConfigureAwait(false);
        var guard = new NamespaceGuard(ns);
        var channels = new PortForwardChannels(client);
        var secretPath = request.Scenario.Secrets?.Path ?? Core.Scenarios.ScenarioConstants.DefaultSecretPath;
        var tls = VaultTlsMaterial.Create(ns, request.Time.GetUtcNow());
        var vault = CreateVaultAccess(ns, VaultKvPath.Parse(secretPath), tls, request);
        _cluster = new KubeCluster
        {
            Client = client, Guard = guard, Channels = channels, Time = request.Time, Vault = vault,
            ProbeImage = Versions.Probe.Image, TlsProbeImage = Versions.TlsProbe.Image, CallerRegion = request.Scenario.Topology.CallerRegion,
        };
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["NAMESPACE"] = ns, ["IMAGE"] = image, ["SECRET_PATH"] = vault.IsExternal ? vault.SecretPath.DataPath : secretPath,
            ["VAULT_ADDR"] = vault.Address?.ToString().TrimEnd('/') ?? $"https://{KubeConstants.VaultName}.{ns}.svc:{KubeConstants.VaultPort}",
            ["VAULT_IMAGE"] = Versions.Vault.Image, ["PROMETHEUS_IMAGE"] = Versions.Prometheus.Image,
        };

        await ProvisionVaultAsync(_cluster, resources, values, tls, request, ct).ConfigureAwait(false);

        Progress($"applying the mesh configuration {request.MeshConfigDirectory}");
        var warnings = await MeshConfig.ApplyAsync(resources, request.MeshConfigDirectory, ns, ct).ConfigureAwait(false);
        await PrometheusInstall.ApplyAsync(client, resources, Path.Combine(ClustersDir, "k3s", "prometheus", "prometheus.yaml"), request.MeshConfigDirectory, ns, values, ct).ConfigureAwait(false);

        Progress("deploying the sample service");
        foreach (var o in ManifestRenderer.Load(Path.Combine(ClustersDir, "k3s", "sample-service", "service.yaml"), values)) await resources.ApplyAsync(o, ns, ct).ConfigureAwait(false);
        foreach (var o in ManifestRenderer.Load(Path.Combine(ClustersDir, "k3s", "sample-service", "gateway.yaml"), values)) await resources.ApplyAsync(o, ns, ct).ConfigureAwait(false);
        var replicas = request.Scenario.Topology.ReplicaIds();
        foreach (var r in replicas)
        {
            var v = new Dictionary<string, string>(values) { ["REPLICA"] = r.Id, ["REGION"] = r.Region, ["ZONE"] = r.Zone };
            foreach (var o in ManifestRenderer.Load(Path.Combine(ClustersDir, "k3s", "sample-service", "replica.yaml"), v)) await resources.ApplyAsync(o, ns, ct).ConfigureAwait(false);
        }
        await Readiness.WaitForDeploymentsAsync(client, ns, $"{KubeLabels.App}={KubeLabels.AppValue}", replicas.Count, _cluster.Timings, request.Time, Progress, ct).ConfigureAwait(false);
        await Readiness.WaitForDeploymentsAsync(client, ns, "app=prometheus", 1, _cluster.Timings, request.Time, Progress, ct).ConfigureAwait(false);

        Progress("opening port-forwards (entry point, replicas, Prometheus)");
        var (gwNs, gwSelector) = IngressGateway;
        var gateway = (await client.CoreV1.ListNamespacedPodAsync(gwNs, labelSelector: gwSelector, cancellationToken: ct).ConfigureAwait(false))
            .Items.FirstOrDefault(p => p.Status?.Phase == "Running")
            ?? throw new KubernetesTargetException($"no running ingress gateway pod ({gwSelector}) in {gwNs}");
        var entry = Track(await channels.OpenAsync(gwNs, gateway.Metadata.Name, 80, ct).ConfigureAwait(false));
        var endpoints = new List<ReplicaEndpoint>();
        foreach (var r in replicas)
        {
            var pod = await _cluster.ReplicaPodAsync(r.Id, ct).ConfigureAwait(false);
            var ch = Track(await channels.OpenAsync(ns, pod.Metadata.Name, KubeConstants.SampleServicePort, ct).ConfigureAwait(false));
            endpoints.Add(new ReplicaEndpoint(r.Id, r.Region, r.Zone, ch.LocalAddress));
        }
        var promPod = (await _cluster.RunningPodsAsync("app=prometheus", ct).ConfigureAwait(false))[0];
        var prom = Track(await channels.OpenAsync(ns, promPod.Metadata.Name, KubeConstants.PrometheusPort, ct).ConfigureAwait(false));
        var promApi = new PrometheusApiClient(new HttpClient { BaseAddress = prom.LocalAddress });
        _metrics = new PrometheusMetricsSource(promApi, ns, request.Time);
        await StartEventsAsync(client, channels, ns, (gwNs, gateway.Metadata.Name), promApi, ct).ConfigureAwait(false);
        Progress("ready");
        return new TargetEnvironment
        {
            EntryPoint = entry.LocalAddress,
            Replicas = endpoints,
            Alerts = AlertSourceFor(promApi),
            Endpoints =
            [
                new NamedEndpoint("prometheus", prom.LocalAddress, "Prometheus of the run (port-forward)"),
                new NamedEndpoint("namespace", new Uri($"kubernetes:///namespaces/{ns}"), "the run namespace; deleted at the end, reaped after expiry"),
            ],
            Warnings =
            [
                .. warnings,
                "replica addresses are port-forwards to the pods: they bypass the sidecars (no mTLS), for baselines only",
                "the entry point is a port-forward to the ingress gateway; heavy load belongs in --load-agents",
                "ejected/unejected/failover events are the ingress gateway's view (its Envoy admin /clusters, polled every second); ejection-overflow comes from Prometheus per cluster, not per host",
                $"Vault's CA for this run: subject {tls.Ca.Subject}",
            ],
        };
    }

    /// <summary>How the run reaches Vault; default: the Vault the run installs, through a port-forward, trusting the run's CA.</summary>
    protected virtual VaultAccess CreateVaultAccess(string ns, VaultKvPath secretPath, VaultTlsMaterial tls, TargetRequest request) =>
        new() { Namespace = ns, SecretPath = secretPath, CaCertificate = tls.Ca };

    /// <summary>Brings Vault to service for the run; default: install, initialise and unseal the run's own.</summary>
    protected virtual Task ProvisionVaultAsync(KubeCluster cluster, ResourceClient resources, IReadOnlyDictionary<string, string> values, VaultTlsMaterial tls,
        TargetRequest request, CancellationToken ct) =>
        VaultBootstrap.InstallAsync(cluster, resources, Path.Combine(ClustersDir, "k3s", "vault", "vault.yaml"), values, tls, request.Time, Progress, ct);

    /// <summary>What the injectors share, once up.</summary>
    protected KubeCluster? Cluster => _cluster;

    private IPodChannel Track(IPodChannel channel)
    {
        lock (_channels) _channels.Add(channel);
        return channel;
    }

    public IFaultInjector GetInjector(string faultType)
    {
        var c = _cluster ?? throw new InvalidOperationException($"{Name}: injectors are available once the target is up");
        return KubeInjectors.Create(faultType, c)
            ?? throw new KeyNotFoundException($"{Name} does not support fault type '{faultType}'");
    }

    public IReadOnlyList<TargetEvent> EventsSince(DateTimeOffset since)
    {
        List<TargetEvent> own;
        lock (_eventsGate) own = _events.Where(e => e.At >= since).ToList();
        return [.. own.Concat(RecordedEventsSince(since)).OrderBy(e => e.At)];
    }

    public async Task DownAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _down, 1) == 1) return;
        var errors = new StringBuilder();
        await StopEventsAsync().ConfigureAwait(false);
        List<IPodChannel> channels;
        lock (_channels) { channels = [.. _channels]; _channels.Clear(); }
        foreach (var ch in channels) await ch.DisposeAsync().ConfigureAwait(false);
        if (Client is not null && _cluster is not null)
        {
            foreach (var ns in _cluster.Guard.Owned.ToList())
            {
                Progress($"deleting namespace {ns}");
                try
                {
                    await Client.CoreV1.DeleteNamespaceAsync(ns, new V1DeleteOptions { PropagationPolicy = "Background" }, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    errors.Append(CultureInfo.InvariantCulture, $"namespace {ns}: {e.Message}; ");
                }
            }
        }
        try
        {
            await TeardownClusterAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            errors.Append(CultureInfo.InvariantCulture, $"cluster: {e.Message}");
        }
        if (errors.Length > 0)
            throw new KubernetesTargetException($"{Name}: teardown incomplete ({errors}); `./run.sh reap` removes expired run namespaces");
    }

    public async ValueTask DisposeAsync()
    {
        await DownAsync(CancellationToken.None).ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
