using Xunit;
using static IndexForge.Resilience.Lint.Tests.LintHarness;

namespace IndexForge.Resilience.Lint.Tests.Rules;

public sealed class KubernetesRulesTests
{
    private static string Deployment(string containerExtra = "", string podExtra = "", string image = "indexforge/search:0.1.0") => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: search
          namespace: indexforge
        spec:
          selector:
            matchLabels:
              app: indexforge
          template:
            metadata:
              labels:
                app: indexforge
            spec:
        {podExtra}
              containers:
                - name: search
                  image: {image}
        {containerExtra}
        """;

    private static string CronJob(string apiVersion = "batch/v1", string image = "aquasec/trivy:0.56.2", string restart = "          restartPolicy: Never",
        string args = "- image\n                - --exit-code\n                - \"1\"\n                - indexforge/search:0.1.0") => $"""
        apiVersion: {apiVersion}
        kind: CronJob
        metadata:
          name: security-scan
          namespace: indexforge
        spec:
          schedule: "0 0 * * 0"
          jobTemplate:
            spec:
              template:
                spec:
        {restart}
                  containers:
                    - name: scanner
                      image: {image}
                      args:
                        {args}
        """;

    [Fact]
    public void K8S001_BatchV1beta1CronJob_FlaggedWhileBatchV1IsNot() =>
        AssertRule("K8S001", Files(("kubernetes/cj.yaml", CronJob("batch/v1beta1"))), Files(("kubernetes/cj.yaml", CronJob())));

    private static string Policy(string ingress, string egress, string ns = "  namespace: indexforge\n") => $"""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: np
        {ns}spec:
          podSelector:
            matchLabels:
              app: indexforge
          policyTypes: [Ingress, Egress]
          ingress:
        {ingress}
          egress:
        {egress}
        """;

    private const string PlanIngress = "    - from:\n        - podSelector:\n            matchLabels:\n              app: authorized-service";
    private const string PlanEgress = "    - to:\n        - podSelector:\n            matchLabels:\n              app: authorized-destination";

    private const string CallerIngress = """
            - from:
                - podSelector:
                    matchLabels:
                      app: indexforge-caller
              ports:
                - port: 8080
        """;

    private static string To(string ns, string labelKey, string labelValue, string ports) => $"""
            - to:
                - namespaceSelector:
                    matchLabels:
                      kubernetes.io/metadata.name: {ns}
                  podSelector:
                    matchLabels:
                      {labelKey}: {labelValue}
              ports:
        {ports}
        """;

    private static readonly string DnsEgress = To("kube-system", "k8s-app", "kube-dns", "        - protocol: UDP\n          port: 53\n        - protocol: TCP\n          port: 53");
    private static readonly string IstiodEgress = To("istio-system", "app", "istiod", "        - port: 15012");
    private static readonly string VaultEgress = To("vault", "app.kubernetes.io/name", "vault", "        - port: 8200");
    private const string ExternalEgress = "    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n      ports:\n        - port: 443";

    private static readonly string FullEgress = string.Join("\n", DnsEgress, IstiodEgress, VaultEgress, ExternalEgress);

    private const string MeshMarker = "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: indexforge\nspec:\n  mtls:\n    mode: STRICT\n";
    private const string VaultMarker = "storage \"raft\" {\n  path = \"/vault/file\"\n}\n";
    private const string SeMarker = "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: ext\n  namespace: indexforge\nspec:\n  hosts: [api.external-service.com]\n  ports:\n    - number: 443\n      name: https\n      protocol: HTTPS\n  location: MESH_EXTERNAL\n";

    private static Dictionary<string, string> WithContext(string policy) =>
        Files(("kubernetes/np.yaml", policy), ("istio/pa.yaml", MeshMarker), ("vault/vault.hcl", VaultMarker), ("istio/se.yaml", SeMarker));

    [Theory]
    [InlineData("K8S002")]
    [InlineData("K8S003")]
    [InlineData("K8S004")]
    [InlineData("K8S006")]
    public void K8S002to006_PlanEgress_BlocksWhatTheWorkloadNeedsWhileTheHardenedEgressDoesNot(string ruleId) =>
        AssertRule(ruleId, WithContext(Policy(CallerIngress, PlanEgress)), WithContext(Policy(CallerIngress, FullEgress)));

    [Fact]
    public void K8S002_DnsOverTcpOnly_StillFlagged()
    {
        var tcpOnly = To("kube-system", "k8s-app", "kube-dns", "        - protocol: TCP\n          port: 53");
        Assert.NotEmpty(Findings("K8S002", WithContext(Policy(CallerIngress, tcpOnly))));
    }

    [Fact]
    public void K8S003_NoMeshInTheSet_NotJudged() =>
        Assert.Empty(Findings("K8S003", Files(("kubernetes/np.yaml", Policy(CallerIngress, PlanEgress)))));

    [Fact]
    public void K8S005_PlanIngress_BlocksTheCallerWhileCallerIngressDoesNot() =>
        AssertRule("K8S005", WithContext(Policy(PlanIngress, FullEgress)), WithContext(Policy(CallerIngress, FullEgress)));

    [Fact]
    public void K8S005_CallerAllowedOnWrongPort_StillFlagged() =>
        Assert.NotEmpty(Findings("K8S005", WithContext(Policy(CallerIngress.Replace("8080", "9090"), FullEgress))));

    private const string ReadOnly = "          securityContext:\n            readOnlyRootFilesystem: true";

    [Fact]
    public void K8S007_ReadOnlyRootWithoutTmp_FlaggedWhileEmptyDirTmpIsNot() =>
        AssertRule("K8S007",
            Files(("kubernetes/d.yaml", Deployment(ReadOnly))),
            Files(("kubernetes/d.yaml", Deployment(ReadOnly + "\n          volumeMounts:\n            - name: tmp\n              mountPath: /tmp",
                "      volumes:\n        - name: tmp\n          emptyDir: {}"))));

    [Fact]
    public void K8S008_RunAsNonRootWithRootImage_FlaggedWhileRunAsUserIsNot()
    {
        const string nonRoot = "          securityContext:\n            runAsNonRoot: true";
        AssertRule("K8S008",
            Files(("kubernetes/d.yaml", Deployment(nonRoot, image: "aquasec/trivy:0.56.2"))),
            Files(("kubernetes/d.yaml", Deployment(nonRoot + "\n            runAsUser: 10001", image: "aquasec/trivy:0.56.2"))));
        Assert.NotEmpty(Findings("K8S008", Files(("kubernetes/d.yaml", Deployment(nonRoot + "\n            runAsUser: 0")))));
        Assert.NotEmpty(Findings("K8S008", Files(("kubernetes/d.yaml", Deployment(nonRoot, image: "curlimages/curl:8.10.1")))));
    }

    [Fact]
    public void K8S009_ContainerOnlyFieldsAtPodLevel_FlaggedWhileAtContainerLevelAreNot() =>
        AssertRule("K8S009",
            Files(("kubernetes/d.yaml", Deployment(podExtra: "      securityContext:\n        runAsNonRoot: true\n        readOnlyRootFilesystem: true"))),
            Files(("kubernetes/d.yaml", Deployment(ReadOnly, "      securityContext:\n        runAsNonRoot: true"))));

    [Theory]
    [InlineData("aquasec/trivy", true)]
    [InlineData("aquasec/trivy:latest", true)]
    [InlineData("registry.local:5000/trivy", true)]
    [InlineData("aquasec/trivy:0.56.2", false)]
    [InlineData("registry.local:5000/trivy:0.56.2", false)]
    [InlineData("aquasec/trivy@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    public void K8S010_ImageReference_PinnedOnlyWithTagOrDigest(string image, bool flagged) =>
        Assert.Equal(flagged, Findings("K8S010", Files(("kubernetes/d.yaml", Deployment(image: image)))).Count > 0);

    [Fact]
    public void K8S010_ComposeImageLatest_Flagged() =>
        AssertRule("K8S010",
            Files(("vault/docker-compose.yaml", "services:\n  vault:\n    image: hashicorp/vault:latest\n")),
            Files(("vault/docker-compose.yaml", "services:\n  vault:\n    image: hashicorp/vault:1.21.0\n")));

    [Fact]
    public void K8S011_JobWithoutRestartPolicy_FlaggedWhileNeverIsNot()
    {
        AssertRule("K8S011", Files(("kubernetes/cj.yaml", CronJob(restart: ""))), Files(("kubernetes/cj.yaml", CronJob())));
        Assert.NotEmpty(Findings("K8S011", Files(("kubernetes/cj.yaml", CronJob(restart: "          restartPolicy: Always")))));
    }

    [Fact]
    public void K8S012_WildcardScanTarget_FlaggedWhileOneImageIsNot()
    {
        AssertRule("K8S012",
            Files(("kubernetes/cj.yaml", CronJob(args: "- image\n                - --severity\n                - HIGH,CRITICAL\n                - indexforge/*"))),
            Files(("kubernetes/cj.yaml", CronJob(args: "- image\n                - --severity\n                - HIGH,CRITICAL\n                - --cache-dir\n                - /tmp/trivy\n                - indexforge/search:0.1.0"))));
    }

    [Fact]
    public void K8S013_ScanWithoutExitCode_FlaggedWhileExitCodeOneIsNot() =>
        AssertRule("K8S013",
            Files(("kubernetes/cj.yaml", CronJob(args: "- image\n                - indexforge/search:0.1.0"))),
            Files(("kubernetes/cj.yaml", CronJob())));

    [Fact]
    public void K8S014_NetworkPolicyWithoutNamespace_FlaggedWhileNamespacedIsNot() =>
        AssertRule("K8S014",
            Files(("kubernetes/np.yaml", Policy(CallerIngress, FullEgress, ns: ""))),
            Files(("kubernetes/np.yaml", Policy(CallerIngress, FullEgress))));
}
