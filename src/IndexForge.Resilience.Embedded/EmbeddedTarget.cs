using IndexForge.Resilience.Core.Alerts;
using IndexForge.Resilience.Core.Assertions;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Metrics;
using IndexForge.Resilience.Core.Running;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Embedded.Faults;
using IndexForge.Resilience.Embedded.Prometheus;
using IndexForge.Resilience.Embedded.Replicas;
using IndexForge.Resilience.Mesh;
using IndexForge.Resilience.Mesh.Config;
using IndexForge.Resilience.Mesh.Security;

namespace IndexForge.Resilience.Embedded;

/// <summary>
/// The <c>embedded</c> target: sample-service replicas on 127.0.r.i behind an in-process,
/// Envoy-faithful data plane that applies the scenario's Istio YAML, with STRICT/PERMISSIVE mTLS
/// from a per-run mesh CA, and (when the scenario uses secrets) an embedded Vault-compatible server.
/// Needs only the .NET SDK.
/// </summary>
public sealed class EmbeddedTarget : ITarget
{
    private EmbeddedRuntime? _runtime;
    private Prometheus.EmbeddedPrometheus? _prometheus;

    public string Name => TargetNames.Embedded;

    public IReadOnlyCollection<string> SupportedFaults => EmbeddedInjectors.Types;

    public EmbeddedRuntime Runtime => _runtime ?? throw new InvalidOperationException("the embedded target is not up");

    public IMetricsSource Metrics { get; private set; } = new EmptyMetrics();

    public async Task<TargetEnvironment> UpAsync(TargetRequest request, CancellationToken cancellationToken)
    {
        if (_runtime is not null) throw new InvalidOperationException("the embedded target is already up");
        var scenario = request.Scenario;
        var istio = Path.Combine(request.MeshConfigDirectory, "istio");
        if (!Directory.Exists(istio)) throw new TargetException($"mesh configuration has no istio/ directory: {istio}");
        MeshConfig config;
        try
        {
            config = IstioConfigLoader.LoadDirectory(istio, new MeshConfigLoadOptions { DisplayRoot = Path.GetDirectoryName(Path.GetDirectoryName(request.MeshConfigDirectory)) });
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException)
        {
            throw new TargetException($"mesh configuration is invalid: {e.Message}", e);
        }

        var ca = MeshCertificateAuthority.Create();
        Secrets.EmbeddedSecrets? secrets = null;
        ReplicaSet? replicas = null;
        try
        {
            if (scenario.Secrets is { } secretsSpec)
                secrets = await Embedded.Secrets.EmbeddedSecrets.StartAsync(secretsSpec, scenario.Topology, request, cancellationToken);

            var inbounds = scenario.Topology.ReplicaIds().ToDictionary(r => r.Id, r => MeshInbound.Create(new MeshInboundOptions
            {
                Ca = ca,
                Config = config,
                Workload = r.Id,
                Labels = new Dictionary<string, string> { ["app"] = "indexforge", ["version"] = "v1" },
                Time = request.Time,
            }));
            replicas = await ReplicaSet.StartAsync(scenario.Topology, request.Seed, request.Time,
                r => inbounds[r.Id].ConfigureListen,
                r => secrets?.ValidatorFor(r.Id),
                r => inbounds[r.Id].AuthorizeAsync,
                cancellationToken);

            var endpoints = scenario.Topology.ReplicaIds()
                .Select(r => new MeshEndpoint(r.Id, r.Region, r.Zone, replicas[r.Id].Address) { Inbound = inbounds[r.Id] })
                .ToList();
            var mesh = await MeshDataPlane.StartAsync(new MeshDataPlaneOptions
            {
                Config = config,
                Endpoints = endpoints,
                Ca = ca,
                CallerRegion = scenario.Topology.CallerRegion,
                Time = request.Time,
                Seed = request.Seed,
            }, cancellationToken);

            _runtime = new EmbeddedRuntime { Ca = ca, Replicas = replicas, Inbounds = inbounds, Mesh = mesh, Secrets = secrets, CallerRegion = scenario.Topology.CallerRegion };
            var metricUrls = new List<Uri> { mesh.MetricsEndpoint };
            if (secrets is not null) metricUrls.Add(secrets.MetricsEndpoint);
            Metrics = new HttpMetricsSource(metricUrls, secrets?.MetricsClient);

            var named = new List<NamedEndpoint>
            {
                new("mesh-metrics", mesh.MetricsEndpoint, "Istio and Envoy metrics of the caller's sidecar (Prometheus text)"),
            };
            named.AddRange(replicas.Hosts.Select(h => new NamedEndpoint($"control-{h.ReplicaId}", new Uri(h.Address, "/control/state"), $"chaos control of {h.ReplicaId} (mTLS: needs a workload certificate)")));
            if (secrets is not null) named.AddRange(secrets.Endpoints);
            var alerts = await StartPrometheusAsync(request, mesh.MetricsEndpoint, secrets, cancellationToken);
            if (_prometheus is not null) named.Add(new("prometheus", _prometheus.Address, "Prometheus evaluating the mesh configuration's alert rules"));

            return new TargetEnvironment
            {
                EntryPoint = mesh.EntryPoint,
                Replicas = replicas.Hosts.Select(h => new ReplicaEndpoint(h.ReplicaId, h.Region, h.Zone, h.Address)).ToList(),
                Endpoints = named,
                WorkloadTls = mesh.WorkloadTls,
                CallerCredential = secrets?.CallerCredential,
                Warnings = mesh.Warnings,
                Alerts = alerts,
            };
        }
        catch
        {
            if (_runtime is null)
            {
                if (replicas is not null) await replicas.DisposeAsync();
                if (secrets is not null) await secrets.DisposeAsync();
                ca.Dispose();
            }
            throw;
        }
    }

    /// <summary>A Prometheus only for scenarios that assert on alerts: it costs a process and a port.</summary>
    private async Task<IAlertSource?> StartPrometheusAsync(TargetRequest request, Uri meshMetrics, Secrets.EmbeddedSecrets? secrets, CancellationToken ct)
    {
        if (!request.Scenario.Assertions.Any(a => a.Type == AssertionTypes.AlertFires)) return null;
        var targets = new List<PrometheusScrapeTarget> { new(EmbeddedPrometheusConstants.MeshJob, meshMetrics) };
        if (secrets is not null) targets.Add(new(EmbeddedPrometheusConstants.VaultJob, secrets.MetricsEndpoint, secrets.Server.CaCertificate));
        var (server, alerts) = await Prometheus.EmbeddedPrometheus.StartAsync(new EmbeddedPrometheusOptions
        {
            WorkDirectory = request.WorkDirectory,
            Targets = targets,
            RuleFiles = EmbeddedPrometheusOptions.RuleFilesOf(request.MeshConfigDirectory),
        }, ct);
        _prometheus = server;
        return alerts;
    }

    public IFaultInjector GetInjector(string faultType) => EmbeddedInjectors.Create(faultType, Runtime);

    public IReadOnlyList<TargetEvent> EventsSince(DateTimeOffset since) =>
        _runtime is null ? [] : _runtime.Mesh.EventsSince(since);

    public async Task DownAsync(CancellationToken cancellationToken)
    {
        var prometheus = Interlocked.Exchange(ref _prometheus, null);
        if (prometheus is not null) await prometheus.DisposeAsync();
        var runtime = Interlocked.Exchange(ref _runtime, null);
        if (runtime is not null) await runtime.DisposeAsync();
        (Metrics as IDisposable)?.Dispose();
    }

    public async ValueTask DisposeAsync() => await DownAsync(CancellationToken.None);

    private sealed class EmptyMetrics : IMetricsSource
    {
        public Task<MetricSet> ScrapeAsync(CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the embedded target is not up");
    }
}

public sealed class EmbeddedTargetFactory : ITargetFactory
{
    public string Name => TargetNames.Embedded;
    public ITarget Create(TargetOptions options) => new EmbeddedTarget();
}
