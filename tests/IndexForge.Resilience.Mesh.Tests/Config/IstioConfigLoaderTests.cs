using IndexForge.Resilience.Mesh.Config;
using IndexForge.Resilience.Mesh.Outlier;
using IndexForge.Resilience.Mesh.Pool;
using IndexForge.Resilience.Mesh.Routing;
using Xunit;

namespace IndexForge.Resilience.Mesh.Tests.Config;

public class IstioConfigLoaderTests
{
    private const string Service = MeshConstants.ServiceHost;
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Config", "Fixtures");
    private static readonly MeshConfigLoadOptions Display = new() { DisplayRoot = Fixtures };

    private static MeshConfig Load(string yaml) => IstioConfigLoader.Load([("test.yaml", yaml)]);

    private static MeshConfigException Invalid(params (string Name, string Yaml)[] files) =>
        Assert.Throws<MeshConfigException>(() => IstioConfigLoader.Load(files));

    [Fact]
    public void LoadDirectory_PlanAsWritten_LoadsWithWarningsForItsQuirks()
    {
        var config = IstioConfigLoader.LoadDirectory(Path.Combine(Fixtures, "plan"), Display);

        Assert.Equal(2, config.PeerAuthentications.Count());
        Assert.Equal(2, config.DestinationRules.Count());
        var warnings = config.Warnings.Select(w => w.ToWarning()).ToArray();
        Assert.Contains("plan/migration-mitigation.yaml:1: document 1 has no kind: a fragment kubectl would refuse; ignored", warnings);
        Assert.Contains("plan/istio-operator.yaml:1: IstioOperator (install.istio.io/v1alpha1) is not emulated; ignored", warnings);
        Assert.Contains(warnings, w => w.StartsWith("plan/failover-policy.yaml:15: ServiceEntry"));
        Assert.Contains(warnings, w => w.StartsWith("plan/failover-policy.yaml:9: localityLbSetting failover has no effect without outlierDetection"));
        Assert.Contains(warnings, w => w.StartsWith("plan/istio-operator.yaml:") && w.Contains("IstioOperator"));
        Assert.All(config.Resources, r => Assert.Equal("indexforge", r.Namespace)); // no namespace: kubectl apply -n indexforge
    }

    [Fact]
    public void ResolveService_Plan_WildcardRuleAppliesAndTheFailoverRuleDoesNot()
    {
        var config = IstioConfigLoader.LoadDirectory(Path.Combine(Fixtures, "plan"), Display);
        var service = config.ResolveService(Service, "indexforge");

        Assert.Equal("indexforge-services", service.DestinationRule!.Name);
        Assert.Equal(SimpleLb.RoundRobin, service.TrafficPolicy!.LoadBalancer!.Simple);
        Assert.Null(service.TrafficPolicy.LoadBalancer.LocalityLbSetting);
        Assert.Contains(service.Warnings, w => w.ToWarning() == "plan/failover-policy.yaml:6: DestinationRule failover-policy (host service.indexforge.svc.cluster.local) does not match indexforge-search.indexforge.svc.cluster.local; not applied");
        var outlier = OutlierDetectorSettings.FromIstio(service.TrafficPolicy.OutlierDetection, config.Options.IstioVersion, [])!;
        Assert.Equal(5u, outlier.Consecutive5xx);
        Assert.Equal(TimeSpan.FromSeconds(30), outlier.Interval);
        Assert.Equal(10, outlier.MaxEjectionPercent);
        var pool = CircuitBreakerSettings.FromIstio(service.TrafficPolicy.ConnectionPool);
        Assert.Equal(100, pool.MaxConnections);
        Assert.Equal(1000, pool.MaxRequests);
        Assert.Equal(100, pool.MaxRequestsPerConnection);
        Assert.Equal(int.MaxValue, pool.MaxPendingRequests);
        Assert.Equal(TimeSpan.FromSeconds(5), pool.ConnectTimeout);
    }

    [Fact]
    public void ResolveService_Hardened_ExactHostBeatsWildcardAndWarnsAboutNotEmulatedFields()
    {
        var config = IstioConfigLoader.LoadDirectory(Path.Combine(Fixtures, "hardened"), Display);
        var service = config.ResolveService(Service, "indexforge");

        Assert.Equal("indexforge-search", service.DestinationRule!.Name);
        Assert.Contains(service.Warnings, w => w.ToWarning().StartsWith("hardened/destination-rules.yaml:34: DestinationRule indexforge-wildcard (host *.indexforge.svc.cluster.local) also matches") && w.Message.EndsWith("takes precedence; not applied"));
        var warnings = config.Warnings.Select(w => w.ToWarning()).ToArray();
        Assert.Contains("hardened/destination-rules.yaml:20: trafficPolicy.connectionPool.tcp.tcpKeepalive is not emulated", warnings);
        Assert.Contains("hardened/virtual-service.yaml:27: http[1].mirror is not emulated", warnings);
        Assert.Contains(warnings, w => w.StartsWith("hardened/authorization.yaml:17: rules[0].when is not emulated"));
        var outlier = OutlierDetectorSettings.FromIstio(service.TrafficPolicy!.OutlierDetection, config.Options.IstioVersion, [])!;
        Assert.Equal(3u, outlier.ConsecutiveGatewayFailure);
        Assert.True(outlier.EnforceGatewayFailure);
        Assert.Equal(34, outlier.MaxEjectionPercent);

        var route = service.RouteFor("/search", "GET", _ => null)!;
        Assert.Equal("search", route.Name);
        Assert.Equal(TimeSpan.FromSeconds(2), route.Timeout);
        var retry = RetryPolicy.FromIstio(route.Retries);
        Assert.Equal(3, retry.NumRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(500), retry.PerTryTimeout);
        Assert.True(retry.RetriesStatus(502));
        Assert.False(retry.RetriesStatus(500));
        Assert.True(retry.RetriesConnectFailure);
        Assert.Null(service.RouteFor("/other", "GET", _ => null)!.Timeout); // falls through to the catch-all route
        Assert.Equal(MtlsMode.Strict, Security(config).Mode);
    }

    private static (MtlsMode Mode, PeerAuthentication? Source) Security(MeshConfig config) =>
        config.ResolveMtls("indexforge", new Dictionary<string, string> { ["app"] = "indexforge-search" });

    [Fact]
    public void ResolveService_SameHostTwice_OlderTrafficPolicyWinsWithAWarning()
    {
        var config = Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: first}
            spec: {host: indexforge-search, trafficPolicy: {loadBalancer: {simple: RANDOM}}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: second}
            spec: {host: indexforge-search.indexforge.svc.cluster.local, trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}}
            """);
        var service = config.ResolveService(Service, "indexforge");
        Assert.Equal("first", service.DestinationRule!.Name);
        Assert.Contains(service.Warnings, w => w.ToWarning().StartsWith("test.yaml:6: DestinationRule second has the same host as first"));
    }

    [Fact]
    public void Load_ConsecutiveErrors_WarnsAtItsLineForModernIstio()
    {
        var config = Load("""
            apiVersion: networking.istio.io/v1alpha3
            kind: DestinationRule
            metadata: {name: legacy}
            spec:
              host: "*.indexforge.svc.cluster.local"
              trafficPolicy:
                outlierDetection:
                  consecutiveErrors: 5
            """);
        var warnings = new List<ConfigDiagnostic>();
        OutlierDetectorSettings.FromIstio(config.ResolveService(Service, "indexforge").TrafficPolicy!.OutlierDetection, config.Options.IstioVersion, warnings);
        Assert.StartsWith("test.yaml:8: outlierDetection.consecutiveErrors is deprecated and ignored by Istio 1.24", warnings.Single().ToWarning());
    }

    [Fact]
    public void Load_FaultWithoutPercentage_WarnsThatNoRequestIsAffected()
    {
        var config = Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: vs}
            spec:
              hosts: [indexforge-search]
              http:
              - fault:
                  abort: {httpStatus: 503}
                route: [{destination: {host: indexforge-search}}]
            """);
        Assert.Contains(config.Warnings, w => w.ToWarning() == "test.yaml:8: http[0].fault.abort: no percentage, so Istio applies this abort to no request");
        Assert.Equal(0, config.ResolveService(Service, "indexforge").RouteFor("/", "GET", _ => null)!.Fault!.Abort!.Percent);
    }

    [Fact]
    public void Load_InvalidValues_ReportsEveryErrorWithFileLineAndColumn()
    {
        var e = Invalid(
            ("a.yaml", """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: bad}
                spec:
                  host: indexforge-search
                  trafficPolicy:
                    outlierDetection:
                      consecutive5xxError: 5
                      maxEjectionPercent: 150
                      interval: 30 seconds
                    loadBalancer:
                      simple: FASTEST
                """),
            ("b.yaml", """
                apiVersion: networking.istio.io/v2
                kind: VirtualService
                metadata: {name: vs}
                spec: {hosts: [x]}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: nohost}
                spec:
                  trafficPolicy:
                    connectionPool: {tcp: {maxConnections: -1}}
                    loadBalancer:
                      localityLbSetting:
                        distribute: [{from: "us-west/*", to: {"us-west/*": 70, "us-east/*": 20}}]
                        failover: [{from: us-west, to: us-west}]
                """));
        var errors = e.Errors.Select(x => x.ToString()).ToArray();
        Assert.Contains("a.yaml:8:7: unknown field \"trafficPolicy.outlierDetection.consecutive5xxError\"", errors);
        Assert.Contains("a.yaml:9:27: trafficPolicy.outlierDetection.maxEjectionPercent: 150 is out of range [0, 100]", errors);
        Assert.Contains(errors, x => x.StartsWith("a.yaml:10:17: trafficPolicy.outlierDetection.interval: '30 seconds' is not a duration"));
        Assert.Contains(errors, x => x.StartsWith("a.yaml:12:15: trafficPolicy.loadBalancer.simple: 'FASTEST' is not one of"));
        Assert.Contains(errors, x => x.StartsWith("b.yaml:1:13: apiVersion: no VirtualService in networking.istio.io/v2"));
        Assert.Contains(errors, x => x.StartsWith("b.yaml:") && x.Contains("host: a DestinationRule needs a host"));
        Assert.Contains(errors, x => x.Contains("maxConnections: -1 is out of range"));
        Assert.Contains(errors, x => x.Contains("total locality weight 90 != 100"));
        Assert.Contains(errors, x => x.Contains("must specify different regions"));
        Assert.Contains(errors, x => x.Contains("can not simultaneously specify 'distribute' and 'failover'"));
        Assert.Equal(10, errors.Length);
    }

    [Fact]
    public void Load_KindWithoutMetadata_ReadWithASynthesizedNameAndAWarning()
    {
        var config = Load("""
            apiVersion: networking.istio.io/v1alpha3
            kind: DestinationRule
            spec:
              host: "*.indexforge.svc.cluster.local"
              trafficPolicy: {loadBalancer: {simple: RANDOM}}
            """);
        var dr = Assert.Single(config.DestinationRules);
        Assert.Equal("test.yaml#1", dr.Name);
        Assert.Equal("indexforge", dr.Namespace);
        Assert.Contains("test.yaml:1: DestinationRule has no metadata.name (kubectl would refuse it); read as test.yaml#1", config.Warnings.Select(w => w.ToWarning()));
        Assert.Equal(SimpleLb.Random, config.ResolveService(Service, "indexforge").TrafficPolicy!.LoadBalancer!.Simple);
    }

    [Fact]
    public void ResolveService_ExportedElsewhere_NotApplied()
    {
        var config = Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: private, namespace: other}
            spec: {host: indexforge-search.indexforge.svc.cluster.local, exportTo: ["."]}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: private-vs, namespace: other}
            spec: {hosts: [indexforge-search.indexforge.svc.cluster.local], exportTo: ["."], http: [{timeout: 1s, route: [{destination: {host: indexforge-search.indexforge.svc.cluster.local}}]}]}
            """);
        var service = config.ResolveService(Service, "indexforge");
        Assert.Null(service.DestinationRule);
        Assert.Null(service.VirtualService);
        Assert.Equal(2, service.Warnings.Count(w => w.Message.Contains("not exported to namespace indexforge")));
        Assert.NotNull(config.ResolveService(Service, "other").VirtualService); // negative control: visible in its own namespace
    }

    [Fact]
    public void Load_BrokenYaml_ErrorWithPosition()
    {
        var e = Invalid(("broken.yaml", "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nspec: [unclosed\n"));
        Assert.StartsWith("broken.yaml:", e.Errors.Single().ToString());
        Assert.Contains("invalid YAML", e.Errors.Single().Message);
    }

    [Fact]
    public void Load_QuotedNumber_IsNotAnInteger()
    {
        var e = Invalid(("q.yaml", """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: q}
            spec: {host: x, trafficPolicy: {outlierDetection: {consecutive5xxErrors: "5"}}}
            """));
        Assert.Contains("expected an integer", e.Errors.Single().Message);
    }

    [Theory]
    [InlineData("*.indexforge.svc.cluster.local", true)]
    [InlineData("*.svc.cluster.local", true)]
    [InlineData("*", true)]
    [InlineData("indexforge-search.indexforge.svc.cluster.local", true)]
    [InlineData("*.other.svc.cluster.local", false)]
    [InlineData("service.indexforge.svc.cluster.local", false)]
    public void Matches_Hosts(string rule, bool expected) => Assert.Equal(expected, HostMatching.Matches(rule, Service));

    [Fact]
    public void Qualify_ShortName_InTheRulesNamespace()
    {
        Assert.Equal(Service, HostMatching.Qualify("indexforge-search", "indexforge"));
        Assert.Equal("*.foo.com", HostMatching.Qualify("*.foo.com", "indexforge"));
        Assert.True(HostMatching.Specificity(Service) > HostMatching.Specificity("*.indexforge.svc.cluster.local"));
        Assert.True(HostMatching.Specificity("*.indexforge.svc.cluster.local") > HostMatching.Specificity("*.svc.cluster.local"));
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("1m", 60_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5s", 1_500)]
    [InlineData("1m30s", 90_000)]
    public void TryParse_IstioDurations(string text, double ms)
    {
        Assert.True(IstioDuration.TryParse(text, out var d));
        Assert.Equal(ms, d.TotalMilliseconds);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("30 seconds")]
    [InlineData("s")]
    [InlineData("")]
    public void TryParse_NotDurations(string text) => Assert.False(IstioDuration.TryParse(text, out _));
}
