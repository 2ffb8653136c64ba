namespace IndexForge.Resilience.Lint.Rules;

/// <summary>Authorities the rules cite; one place so docs/lint.md and the rules agree.</summary>
public static class References
{
    public const string IstioDestinationRule = "https://istio.io/latest/docs/reference/config/networking/destination-rule/";
    public const string IstioOutlierDetection = "https://istio.io/latest/docs/reference/config/networking/destination-rule/#OutlierDetection";
    public const string IstioLocalityLb = "https://istio.io/latest/docs/reference/config/networking/destination-rule/#LocalityLoadBalancerSetting";
    public const string IstioLocalityFailover = "https://istio.io/latest/docs/tasks/traffic-management/locality-load-balancing/failover/";
    public const string IstioTrafficBestPractices = "https://istio.io/latest/docs/ops/best-practices/traffic-management/";
    public const string IstioPeerAuthentication = "https://istio.io/latest/docs/reference/config/security/peer_authentication/";
    public const string IstioAuthorizationPolicy = "https://istio.io/latest/docs/reference/config/security/authorization-policy/";
    public const string IstioAuthorizationConcepts = "https://istio.io/latest/docs/concepts/security/#authorization";
    public const string IstioPerformance = "https://istio.io/latest/docs/ops/deployment/performance-and-scalability/";
    public const string IstioInstallOptions = "https://istio.io/latest/docs/reference/config/istio.operator.v1alpha1/";
    public const string IstioPorts = "https://istio.io/latest/docs/ops/deployment/application-requirements/#ports-used-by-istio";
    public const string IstioV1Apis = "https://istio.io/latest/blog/2024/v1-apis/";
    public const string IstioServiceEntry = "https://istio.io/latest/docs/reference/config/networking/service-entry/";
    public const string IstioMetrics = "https://istio.io/latest/docs/reference/config/metrics/";
    public const string IstioMutualTlsMigration = "https://istio.io/latest/docs/tasks/security/authentication/mtls-migration/";
    public const string EnvoyOutlier = "https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/outlier";
    public const string EnvoyTls = "https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/common.proto";

    public const string K8sDeprecationGuide = "https://kubernetes.io/docs/reference/using-api/deprecation-guide/";
    public const string K8sNetworkPolicy = "https://kubernetes.io/docs/concepts/services-networking/network-policies/";
    public const string K8sSecurityContext = "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/";
    public const string K8sSecurityContextApi = "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context";
    public const string K8sEmptyDir = "https://kubernetes.io/docs/concepts/storage/volumes/#emptydir";
    public const string K8sImages = "https://kubernetes.io/docs/concepts/containers/images/#image-names";
    public const string K8sJobPodTemplate = "https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-template";
    public const string K8sNamespaces = "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/";
    public const string TrivyImageTarget = "https://trivy.dev/latest/docs/target/container_image/";
    public const string TrivyExitCode = "https://trivy.dev/latest/docs/configuration/others/#exit-code";

    public const string VaultDevServer = "https://developer.hashicorp.com/vault/docs/concepts/dev-server";
    public const string VaultDockerImage = "https://hub.docker.com/r/hashicorp/vault";
    public const string VaultSupportPolicy = "https://support.hashicorp.com/hc/en-us/articles/360021185113-Support-Period-and-End-of-Life-EOL-Policy";
    public const string VaultStatusCommand = "https://developer.hashicorp.com/vault/docs/commands/status";
    public const string VaultHealthApi = "https://developer.hashicorp.com/vault/api-docs/system/health";
    public const string VaultConfiguration = "https://developer.hashicorp.com/vault/docs/configuration";
    public const string VaultTcpListener = "https://developer.hashicorp.com/vault/docs/configuration/listener/tcp";
    public const string VaultAwsKmsSeal = "https://developer.hashicorp.com/vault/docs/configuration/seal/awskms";
    public const string VaultFileStorage = "https://developer.hashicorp.com/vault/docs/configuration/storage/filesystem";
    public const string VaultRaftStorage = "https://developer.hashicorp.com/vault/docs/configuration/storage/raft";
    public const string VaultTelemetry = "https://developer.hashicorp.com/vault/docs/configuration/telemetry";
    public const string VaultCoreMetrics = "https://developer.hashicorp.com/vault/docs/internals/telemetry/metrics/core-system";
    public const string VaultDockerEntrypoint = "https://github.com/hashicorp/vault/blob/main/.release/docker/docker-entrypoint.sh";

    public const string PromAlertingRules = "https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/";
    public const string PromAlertingPractices = "https://prometheus.io/docs/practices/alerting/";
    public const string PromHistogramQuantile = "https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile";
    public const string PromHistograms = "https://prometheus.io/docs/practices/histograms/";
    public const string PromUpMetric = "https://prometheus.io/docs/concepts/jobs_instances/#automatically-generated-labels-and-time-series";
    public const string PromUnitTesting = "https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/";
    public const string PromRecordingRules = "https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/";

    public const string Http2CipherBlacklist = "https://www.rfc-editor.org/rfc/rfc7540#appendix-A";
    public const string TlsRecommendations = "https://www.rfc-editor.org/rfc/rfc9325";
    public const string KongSslCipherSuite = "https://developer.konghq.com/gateway/configuration/#ssl-cipher-suite";
    public const string KongProxyListen = "https://developer.konghq.com/gateway/configuration/#proxy-listen";
    public const string KongPlugins = "https://developer.konghq.com/plugins/";
    public const string KongHealthChecks = "https://developer.konghq.com/gateway/traffic-control/health-checks-circuit-breakers/";

    public const string PythonUtcNow = "https://docs.python.org/3/library/datetime.html#datetime.datetime.utcnow";
    public const string HvacKvV2 = "https://hvac.readthedocs.io/en/stable/usage/secrets_engines/kv_v2.html";
    public const string PythonImport = "https://docs.python.org/3/reference/import.html";
    public const string PythonAwait = "https://docs.python.org/3/reference/expressions.html#await";
    public const string ComposeVolumes = "https://docs.docker.com/reference/compose-file/volumes/";
    public const string LintDoc = "docs/lint.md";
}
