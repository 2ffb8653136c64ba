using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IndexForge.Resilience.Core.Metrics;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Mesh.Config;
using IndexForge.Resilience.Mesh.Forwarding;
using IndexForge.Resilience.Mesh.LoadBalancing;
using IndexForge.Resilience.Mesh.Outlier;
using IndexForge.Resilience.Mesh.Pool;
using IndexForge.Resilience.Mesh.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace IndexForge.Resilience.Mesh;

/// <summary>
/// The embedded Envoy-faithful data plane: the caller's sidecar as a plain-HTTP listener
/// (<see cref="EntryPoint"/>) that applies the Istio configuration to traffic for one service, and
/// a Prometheus listener (<see cref="MetricsEndpoint"/>) with Istio's and Envoy's metric names.
/// Start it with <see cref="StartAsync"/>; disposing it frees both ports and every upstream connection.
/// </summary>
public sealed partial class MeshDataPlane : IAsyncDisposable
{
    private readonly MeshDataPlaneOptions _options;
    private readonly WebApplication _app;
    private readonly MeshProxy _proxy;
    private readonly UpstreamHost[] _hosts;
    private readonly List<TargetEvent> _events = [];
    private readonly object _eventsLock = new();
    private readonly StrongBox<X509Certificate2> _callerCertificate;
    private readonly UpstreamConnector _connector;
    private int _disposed;
    private readonly Lazy<HttpMetricsSource> _metricsSource;

    private MeshDataPlane(MeshDataPlaneOptions options, Build build, WebApplication app, Uri entry, Uri metrics)
    {
        _options = options;
        _app = app;
        _proxy = build.Proxy;
        _hosts = build.Hosts;
        _callerCertificate = build.CertificateBox;
        _connector = build.Connector;
        Detector = build.Detector;
        LoadBalancer = build.LoadBalancer;
        Resources = build.Resources;
        Metrics = build.Metrics;
        Service = build.Service;
        Warnings = build.Warnings;
        LocalityPlan = build.Plan;
        EntryPoint = entry;
        MetricsEndpoint = metrics;
        Endpoints = build.Hosts.Select(h => h.Endpoint).ToArray();
        _metricsSource = new Lazy<HttpMetricsSource>(() => new HttpMetricsSource([metrics], time: options.Time));
    }

    /// <summary>The caller's outbound listener: send plain HTTP here as the application would to the service.</summary>
    public Uri EntryPoint { get; }
    /// <summary>http://…/metrics in Prometheus text exposition (also served as /stats/prometheus).</summary>
    public Uri MetricsEndpoint { get; }
    /// <summary>Everything configured but not emulated, and config that does not apply, as "file:line: message".</summary>
    public IReadOnlyList<string> Warnings { get; }
    public ServiceConfig Service { get; }
    public LocalityPlan LocalityPlan { get; }
    /// <summary>The replicas in the cluster (a distribute rule may drop some of the ones given).</summary>
    public IReadOnlyList<MeshEndpoint> Endpoints { get; }
    /// <summary>Null when the DestinationRule has no outlierDetection (Istio configures none then).</summary>
    public OutlierDetector? Detector { get; }
    public ClusterLoadBalancer LoadBalancer { get; }
    public ClusterResources Resources { get; }
    public MeshMetrics Metrics { get; }
    /// <summary>Envoy's name of the cluster, as in Istio's metrics: outbound|port||host.</summary>
    public string ClusterName => $"outbound|{_options.ServicePort}||{_options.ServiceHost}";
    /// <summary>The caller's current workload certificate (with key) and the mesh root: what direct-to-replica clients present.</summary>
    public ClientTls WorkloadTls => new(Volatile.Read(ref _callerCertificate.Value!), _options.Ca.Root);
    /// <summary>Metrics of this data plane as an IMetricsSource over its /metrics endpoint (disposed with the plane).</summary>
    public IMetricsSource MetricsSource => _metricsSource.Value;

    public static async Task<MeshDataPlane> StartAsync(MeshDataPlaneOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { Count: > 0 } errors) throw new ArgumentException("invalid mesh data plane options: " + string.Join("; ", errors), nameof(options));
        var build = Wire(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? entryListen = null, metricsListen = null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(options.BindAddress, 0, l => { l.Protocols = HttpProtocols.Http1; entryListen = l; });
            k.Listen(options.BindAddress, 0, l =>
            {
                l.Protocols = HttpProtocols.Http1;
                l.Use(next => c => { c.Features.Set(MetricsListener.Instance); return next(c); });
                metricsListen = l;
            });
        });
        var app = builder.Build();
        MeshDataPlane? plane = null;
        app.Run(context => context.Features.Get<MetricsListener>() is null
            ? build.Proxy.HandleAsync(context)
            : plane!.ServeMetricsAsync(context));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            build.Dispose();
            throw;
        }
        var host = options.BindAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{options.BindAddress}]" : options.BindAddress.ToString();
        plane = new MeshDataPlane(options, build, app,
            new Uri($"http://{host}:{entryListen!.IPEndPoint!.Port}/"),
            new Uri($"http://{host}:{metricsListen!.IPEndPoint!.Port}/metrics"));
        build.Plane = plane;
        return plane;
    }

    /// <summary>The full Prometheus exposition of this data plane.</summary>
    public string RenderMetrics()
    {
        var text = new StringBuilder(16 * 1024);
        Metrics.WriteTo(text);
        ClusterStatsWriter.Write(text, ClusterName, Resources, Detector, LoadBalancer, Endpoints);
        return text.ToString();
    }

    private async Task ServeMetricsAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path is not ("/metrics" or "/stats/prometheus"))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.ContentType = MetricsConstants.TextFormatContentType;
        await context.Response.WriteAsync(RenderMetrics(), context.RequestAborted).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Detector?.Dispose();
        foreach (var h in _hosts) h.Dispose();
        if (_metricsSource.IsValueCreated) _metricsSource.Value.Dispose();
    }

    private sealed class MetricsListener
    {
        public static readonly MetricsListener Instance = new();
    }

    /// <summary>Everything wired from the options before the listeners start.</summary>
    private sealed class Build : IDisposable
    {
        public required ServiceConfig Service { get; init; }
        public required LocalityPlan Plan { get; init; }
        public required ClusterLoadBalancer LoadBalancer { get; init; }
        public required OutlierDetector? Detector { get; init; }
        public required ClusterResources Resources { get; init; }
        public required UpstreamHost[] Hosts { get; init; }
        public required MeshMetrics Metrics { get; init; }
        public required MeshProxy Proxy { get; init; }
        public required StrongBox<X509Certificate2> CertificateBox { get; init; }
        public required UpstreamConnector Connector { get; init; }
        public required IReadOnlyList<string> Warnings { get; init; }
        public MeshDataPlane? Plane { get; set; }

        public void Dispose()
        {
            Detector?.Dispose();
            foreach (var h in Hosts) h.Dispose();
        }
    }

    private static Build Wire(MeshDataPlaneOptions options)
    {
        var config = options.Config;
        var warnings = new List<ConfigDiagnostic>(config.Warnings);
        var callerLabels = MeshLocality.WithTopologyLabels(options.CallerLabels, new MeshLocality(options.CallerRegion, options.CallerZone));
        var service = config.ResolveService(options.ServiceHost, options.CallerNamespace, callerLabels);
        warnings.AddRange(service.Warnings);
        var policy = service.TrafficPolicy;
        var outlier = OutlierDetectorSettings.FromIstio(policy?.OutlierDetection, config.Options.IstioVersion, warnings);
        var caller = new MeshLocality(options.CallerRegion, options.CallerZone);
        var locality = policy?.LoadBalancer?.LocalityLbSetting;
        var endpoints = options.Endpoints;
        var plan = LocalityPlanner.Plan(endpoints, caller, callerLabels, locality, outlier is not null, options.MeshLocalityLbEnabled);
        if (plan.Weights.Any(w => w <= 0))
        {
            foreach (var dropped in endpoints.Where((_, i) => plan.Weights[i] <= 0))
                warnings.Add(new(service.DestinationRule?.Location ?? ConfigLocation.None, $"endpoint {dropped.Id} ({dropped.Locality}) is in no distribute destination of the caller; Istio drops it from the cluster"));
            endpoints = endpoints.Where((_, i) => plan.Weights[i] > 0).ToArray();
            plan = LocalityPlanner.Plan(endpoints, caller, callerLabels, locality, outlier is not null, options.MeshLocalityLbEnabled);
        }
        var random = new MeshRandom(options.Seed);
        var lb = new ClusterLoadBalancer(plan, LbPolicies.FromIstio(policy?.LoadBalancer), outlier?.PanicThresholdPercent ?? OutlierConstants.EnvoyPanicThreshold, random);
        var resources = new ClusterResources(CircuitBreakerSettings.FromIstio(policy?.ConnectionPool));
        var certificateBox = new StrongBox<X509Certificate2>(options.Ca.IssueWorkload(options.CallerNamespace, options.CallerServiceAccount));
        var connector = new UpstreamConnector(options.Ca, () => Volatile.Read(ref certificateBox.Value!), options.Time);
        var hosts = endpoints.Select((e, i) => CreateHost(i, e, policy?.Tls?.Mode, resources, connector, options)).ToArray();
        var metrics = new MeshMetrics(options.CallerWorkload, options.CallerNamespace, options.ServiceHost, endpoints,
            Security.MeshTrust.Principal(options.Ca.SpiffeId(options.CallerNamespace, options.CallerServiceAccount)));

        Build? build = null;
        OutlierDetector? detector = null;
        if (outlier is not null)
        {
            detector = new OutlierDetector(outlier, endpoints.Select(e => e.Id).ToArray(), options.Time,
                e => build?.Plane?.Emit(e),
                () => build?.Plane?.OnHealthChanged());
        }
        var proxy = new MeshProxy(service, lb, detector, resources, hosts, metrics, random, options.Time);
        build = new Build
        {
            Service = service, Plan = plan, LoadBalancer = lb, Detector = detector, Resources = resources, Hosts = hosts, Metrics = metrics,
            Proxy = proxy, CertificateBox = certificateBox, Connector = connector, Warnings = warnings.Select(w => w.ToWarning()).Distinct().ToArray(),
        };
        return build;
    }

    private static UpstreamHost CreateHost(int index, MeshEndpoint endpoint, ClientTlsMode? drTls, ClusterResources resources, UpstreamConnector connector, MeshDataPlaneOptions options)
    {
        // Istio auto mTLS: mutual TLS unless the DestinationRule disables it or the workload's PeerAuthentication does.
        var mtls = drTls switch
        {
            ClientTlsMode.Disable => false,
            null => endpoint.Inbound is { } inbound ? inbound.Mode != MtlsMode.Disable : endpoint.Address.Scheme == Uri.UriSchemeHttps,
            _ => true,
        };
        var pool = CreatePool(endpoint, mtls, resources, connector, options);
        return new UpstreamHost(index, endpoint, mtls, pool);
    }

    private static string ServiceNamespace(MeshDataPlaneOptions options) =>
        options.ServiceHost.Split('.') is { Length: > 1 } parts ? parts[1] : options.CallerNamespace;

    private static HostConnectionPool CreatePool(MeshEndpoint endpoint, bool mtls, ClusterResources resources, UpstreamConnector connector, MeshDataPlaneOptions options)
    {
        var target = new UpstreamTarget(endpoint.Address.Host, endpoint.Address.Port, mtls,
            $"outbound_.{options.ServicePort}_._.{options.ServiceHost}",
            endpoint.Inbound?.SpiffeId ?? options.Ca.SpiffeId(ServiceNamespace(options), endpoint.ServiceAccount));
        var settings = resources.Settings;
        return new HostConnectionPool(resources, () =>
        {
            var box = new StrongBox<UpstreamConnection?>();
            var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = 1,
                UseProxy = false,
                UseCookies = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                ActivityHeadersPropagator = null,
                ConnectTimeout = settings.ConnectTimeout + TimeSpan.FromSeconds(1),
                PooledConnectionIdleTimeout = settings.IdleTimeout,
                PooledConnectionLifetime = settings.MaxConnectionDuration ?? Timeout.InfiniteTimeSpan,
                ConnectCallback = async (_, ct) =>
                {
                    var stream = await connector.ConnectAsync(target, settings.ConnectTimeout, ct).ConfigureAwait(false);
                    box.Value?.Connected();
                    return stream;
                },
            };
            var connection = new UpstreamConnection(new HttpMessageInvoker(handler, disposeHandler: true));
            box.Value = connection;
            return connection;
        });
    }
}
