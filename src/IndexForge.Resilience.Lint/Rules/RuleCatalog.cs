using IndexForge.Resilience.Lint.Rules.Compose;
using IndexForge.Resilience.Lint.Rules.Gateway;
using IndexForge.Resilience.Lint.Rules.General;
using IndexForge.Resilience.Lint.Rules.Grafana;
using IndexForge.Resilience.Lint.Rules.Istio;
using IndexForge.Resilience.Lint.Rules.Kubernetes;
using IndexForge.Resilience.Lint.Rules.Prometheus;
using IndexForge.Resilience.Lint.Rules.Rotation;
using IndexForge.Resilience.Lint.Rules.Tls;
using IndexForge.Resilience.Lint.Rules.Vault;

namespace IndexForge.Resilience.Lint.Rules;

/// <summary>Every rule, one line each. Ids are unique; a duplicate fails at start-up.</summary>
public static class RuleCatalog
{
    public static IReadOnlyList<ILintRule> All { get; } = Build(
    [
        new ParseErrorRule(), new FragmentRule(), new UnrecognizedFileRule(),

        new DeprecatedConsecutiveErrorsRule(), new TrafficPolicyFragmentRule(), new MaxEjectionPercentRule(),
        new FailoverWithoutOutlierDetectionRule(), new DuplicateDestinationRuleRule(), new WildcardShadowedRule(),
        new UnknownHostRule(), new DestinationRuleScopeRule(), new LocalityConflictRule(), new PeerAuthenticationSelectorRule(),
        new ProxyResourcesRule(), new GatewayReplicasRule(), new StrictWithoutAuthorizationRule(), new SpiffePrincipalRule(),
        new IstioApiVersionRule(), new TlsModeConflictRule(),

        new RemovedApiVersionRule(), new DnsEgressRule(), new ControlPlaneEgressRule(), new VaultEgressRule(), new MeshIngressRule(),
        new ExternalEgressRule(), new ReadOnlyRootWithoutTmpRule(), new RunAsNonRootImageRule(), new PodLevelContainerFieldsRule(),
        new UnpinnedImageRule(), new JobRestartPolicyRule(), new TrivyTargetRule(), new TrivyExitCodeRule(), new MissingNamespaceRule(),

        new DevModeSettingsRule(), new DeprecatedImageRule(), new EndOfLifeVersionRule(), new HealthCheckRule(), new DuplicateConfigLoadRule(),
        new AddressesRule(), new TlsDisabledRule(), new AwsKmsSealRule(), new NonHaStorageRule(), new TelemetryForPrometheusRule(),
        new UndeclaredVolumeRule(),

        new UnknownMetricRule(), new AlertMeasuresOtherThingRule(), new AbsoluteRateRule(), new ReporterRule(), new ForDurationRule(),
        new AnnotationsRule(), new PromtoolCheckRule(), new PromtoolTestRule(), new PromtoolMissingRule(),

        new ProtocolVersionRule(), new WeakCipherRule(), new Http2CipherRule(),
        new IgnoredTlsSettingsRule(), new Http2PropertyRule(), new UnknownPluginRule(),
        new HistogramQuantileRule(), new SumWithoutCountRule(),
        new AwaitSyncClientRule(), new NaiveUtcNowRule(), new KvMetadataArgumentRule(), new MissingImportRule(),
    ]);

    public static ILintRule? Find(string id) => All.FirstOrDefault(r => r.Info.Id == id);

    private static IReadOnlyList<ILintRule> Build(ILintRule[] rules)
    {
        var duplicates = rules.GroupBy(r => r.Info.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0) throw new InvalidOperationException("duplicate lint rule ids: " + string.Join(", ", duplicates));
        return rules;
    }
}
