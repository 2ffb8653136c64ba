using Xunit;
using static IndexForge.Resilience.Lint.Tests.LintHarness;

namespace IndexForge.Resilience.Lint.Tests.Rules;

public sealed class IstioRulesTests
{
    private const string Host = "indexforge-search.indexforge.svc.cluster.local";

    private static string Dr(string trafficPolicy, string host = Host, string ns = "  namespace: indexforge\n", string name = "search") => $"""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: {name}
        {ns}spec:
          host: "{host}"
          trafficPolicy:
        {trafficPolicy}
        """;

    private const string GoodOutlier = """
            outlierDetection:
              consecutive5xxErrors: 5
              interval: 30s
              baseEjectionTime: 30s
              maxEjectionPercent: 50
        """;

    private const string Failover = """
            loadBalancer:
              localityLbSetting:
                enabled: true
                failover:
                  - from: us-west
                    to: us-east
        """;

    [Fact]
    public void ISTIO001_ConsecutiveErrors_FlaggedWhileConsecutive5xxErrorsIsNot()
    {
        var findings = AssertRule("ISTIO001",
            Files(("istio/dr.yaml", Dr("    outlierDetection:\n      consecutiveErrors: 5\n      maxEjectionPercent: 50\n"))),
            Files(("istio/dr.yaml", Dr(GoodOutlier))));
        Assert.Equal(10, findings.Single().Line);
    }

    [Fact]
    public void ISTIO002_TrafficPolicyFragment_FlaggedWhileFullRuleIsNot()
    {
        var findings = AssertRule("ISTIO002",
            Files(("istio/frag.yaml", "spec:\n  trafficPolicy:\n    outlierDetection:\n      interval: 5s\n"), ("istio/dr.yaml", Dr(GoodOutlier))),
            Files(("istio/dr.yaml", Dr(GoodOutlier))));
        Assert.Contains("interval 5s here vs 30s", findings.Single().Why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, true)]   // 100 x 1 / 6 = 16.7% > 10%: nothing is ever ejected
    [InlineData(16, true)]
    [InlineData(17, false)]  // one host may go
    [InlineData(100, false)]
    public void ISTIO003_MaxEjectionPercent_JudgedAgainstSixHosts(int percent, bool flagged)
    {
        var findings = Findings("ISTIO003", Files(("istio/dr.yaml", Dr($"    outlierDetection:\n      consecutive5xxErrors: 5\n      maxEjectionPercent: {percent}\n"))));
        Assert.Equal(flagged, findings.Count > 0);
    }

    [Fact]
    public void ISTIO003_DefaultTenPercentAndRegionTooBigForFailover_FlaggedWhileFiftyIsNot()
    {
        AssertRule("ISTIO003",
            Files(("istio/dr.yaml", Dr("    outlierDetection:\n      consecutive5xxErrors: 5\n"))),
            Files(("istio/dr.yaml", Dr(Failover + "\n" + GoodOutlier))));
        // 34% ejects two of six: one replica yes, the whole 3-replica caller region no, so failover never completes.
        var partial = Findings("ISTIO003", Files(("istio/dr.yaml", Dr(Failover + "\n" + "    outlierDetection:\n      consecutive5xxErrors: 5\n      maxEjectionPercent: 34\n"))));
        Assert.Contains("fewer than the 3 in us-west", Assert.Single(partial).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ISTIO003_EjectableHosts_FollowsEnvoysFormula()
    {
        Assert.Equal(0, Lint.Rules.Istio.MaxEjectionPercentRule.EjectableHosts(10, 6));
        Assert.Equal(1, Lint.Rules.Istio.MaxEjectionPercentRule.EjectableHosts(10, 10));
        Assert.Equal(3, Lint.Rules.Istio.MaxEjectionPercentRule.EjectableHosts(50, 6));
        Assert.Equal(6, Lint.Rules.Istio.MaxEjectionPercentRule.EjectableHosts(100, 6));
    }

    [Fact]
    public void ISTIO004_FailoverWithoutOutlierDetection_FlaggedWhileWithItIsNot() =>
        AssertRule("ISTIO004", Files(("istio/dr.yaml", Dr(Failover))), Files(("istio/dr.yaml", Dr(Failover + "\n" + GoodOutlier))));

    [Fact]
    public void ISTIO005_TwoRulesForOneHost_FlaggedWhileOneIsNot() =>
        AssertRule("ISTIO005",
            Files(("istio/a.yaml", Dr(GoodOutlier, name: "a")), ("istio/b.yaml", Dr(GoodOutlier, name: "b"))),
            Files(("istio/a.yaml", Dr(GoodOutlier, name: "a")), ("istio/b.yaml", Dr(GoodOutlier, host: "other.indexforge.svc.cluster.local", name: "b"))));

    [Fact]
    public void ISTIO006_ExactHostShadowingWildcard_FlaggedWithWhatItLoses()
    {
        var findings = AssertRule("ISTIO006",
            Files(("istio/w.yaml", Dr(GoodOutlier, host: "*.indexforge.svc.cluster.local", name: "w")), ("istio/e.yaml", Dr(Failover, name: "e"))),
            Files(("istio/w.yaml", Dr(GoodOutlier, host: "*.other.svc.cluster.local", name: "w")), ("istio/e.yaml", Dr(Failover, name: "e"))));
        Assert.Contains("loses outlierDetection", findings.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ISTIO007_PlaceholderHost_FlaggedWhileTheServiceIsNot() =>
        AssertRule("ISTIO007",
            Files(("istio/dr.yaml", Dr(GoodOutlier, host: "service.indexforge.svc.cluster.local"))),
            Files(("istio/dr.yaml", Dr(GoodOutlier))));

    [Fact]
    public void ISTIO008_NoNamespaceOrForeignNamespace_FlaggedWhileServiceNamespaceIsNot()
    {
        AssertRule("ISTIO008", Files(("istio/dr.yaml", Dr(GoodOutlier, ns: ""))), Files(("istio/dr.yaml", Dr(GoodOutlier))));
        Assert.Single(Findings("ISTIO008", Files(("istio/dr.yaml", Dr(GoodOutlier, ns: "  namespace: default\n")))));
        Assert.Empty(Findings("ISTIO008", Files(("istio/dr.yaml", Dr(GoodOutlier, ns: "  namespace: istio-system\n")))));
    }

    [Fact]
    public void ISTIO009_DistributeWithFailoverAndSelfFailover_FlaggedWhilePlainFailoverIsNot()
    {
        const string both = """
                loadBalancer:
                  localityLbSetting:
                    enabled: true
                    distribute:
                      - from: us-west/*
                        to:
                          "us-west/*": 80
                          "us-east/*": 20
                    failover:
                      - from: us-west
                        to: us-east
            """;
        AssertRule("ISTIO009", Files(("istio/dr.yaml", Dr(both + "\n" + GoodOutlier))), Files(("istio/dr.yaml", Dr(Failover + "\n" + GoodOutlier))));
        var self = Findings("ISTIO009", Files(("istio/dr.yaml", Dr(Failover.Replace("to: us-east", "to: us-west") + "\n" + GoodOutlier))));
        Assert.Contains(self, f => f.Message.Contains("to itself", StringComparison.Ordinal));
        var unknown = Findings("ISTIO009", Files(("istio/dr.yaml", Dr(Failover.Replace("to: us-east", "to: eu-central") + "\n" + GoodOutlier))));
        Assert.Contains(unknown, f => f.Message.Contains("eu-central", StringComparison.Ordinal));
    }

    private static string Pa(string selector) => $"""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata:
          name: strict
          namespace: indexforge
        spec:
          mtls:
            mode: STRICT
        {selector}
        """;

    [Fact]
    public void ISTIO010_SelectorMatchingNothing_FlaggedWhileTheWorkloadsLabelsAreNot() =>
        AssertRule("ISTIO010",
            Files(("istio/pa.yaml", Pa("  selector:\n    matchLabels:\n      app: indexforge-serach\n"))),
            Files(("istio/pa.yaml", Pa("  selector:\n    matchLabels:\n      app: indexforge\n"))));

    private static string Operator(string requests, string hpa = "") => $"""
        apiVersion: install.istio.io/v1alpha1
        kind: IstioOperator
        metadata:
          name: x
          namespace: istio-system
        spec:
          components:
            ingressGateways:
              - name: istio-ingressgateway
                enabled: true
                k8s:
                  resources:
                    requests:
        {requests}
        {hpa}
        """;

    [Fact]
    public void ISTIO011_TwoGigabyteGatewayAndOneGigabyteSidecar_FlaggedWhileDefaultsAreNot()
    {
        AssertRule("ISTIO011",
            Files(("istio/op.yaml", Operator("              cpu: 500m\n              memory: 2Gi"))),
            Files(("istio/op.yaml", Operator("              cpu: 100m\n              memory: 128Mi"))));
        AssertRule("ISTIO011",
            Files(("istio/proxy.yaml", "resources:\n  requests:\n    cpu: 500m\n    memory: 1Gi\n")),
            Files(("istio/proxy.yaml", "resources:\n  requests:\n    cpu: 100m\n    memory: 128Mi\n")));
    }

    [Fact]
    public void ISTIO012_GatewayWithoutMinimumTwoReplicas_FlaggedWhileHpaMinTwoIsNot() =>
        AssertRule("ISTIO012",
            Files(("istio/op.yaml", Operator("              cpu: 100m"))),
            Files(("istio/op.yaml", Operator("              cpu: 100m", "          hpaSpec:\n            minReplicas: 2"))));

    private const string Allow = """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: allow-caller
          namespace: indexforge
        spec:
          selector:
            matchLabels:
              app: indexforge
          action: ALLOW
          rules:
            - from:
                - source:
                    principals: ["PRINCIPAL"]
        """;

    [Fact]
    public void ISTIO013_StrictWithoutAuthorizationPolicy_FlaggedWhileWithOneIsNot() =>
        AssertRule("ISTIO013",
            Files(("istio/pa.yaml", Pa(""))),
            Files(("istio/pa.yaml", Pa("")), ("istio/ap.yaml", Allow.Replace("PRINCIPAL", "cluster.local/ns/indexforge/sa/indexforge-caller"))));

    [Fact]
    public void ISTIO014_PrincipalWithSpiffeScheme_FlaggedWhileTrustDomainFormIsNot() =>
        AssertRule("ISTIO014",
            Files(("istio/ap.yaml", Allow.Replace("PRINCIPAL", "spiffe://cluster.local/ns/indexforge/sa/indexforge-caller"))),
            Files(("istio/ap.yaml", Allow.Replace("PRINCIPAL", "cluster.local/ns/indexforge/sa/indexforge-caller"))));

    [Fact]
    public void ISTIO015_V1alpha3_ReportedWhileV1IsNot() =>
        AssertRule("ISTIO015",
            Files(("istio/dr.yaml", Dr(GoodOutlier).Replace("networking.istio.io/v1", "networking.istio.io/v1alpha3"))),
            Files(("istio/dr.yaml", Dr(GoodOutlier))));

    [Fact]
    public void ISTIO016_TlsDisableTowardsStrictWorkload_FlaggedWhileIstioMutualIsNot() =>
        AssertRule("ISTIO016",
            Files(("istio/pa.yaml", Pa("")), ("istio/dr.yaml", Dr("    tls:\n      mode: DISABLE\n"))),
            Files(("istio/pa.yaml", Pa("")), ("istio/dr.yaml", Dr("    tls:\n      mode: ISTIO_MUTUAL\n"))));
}
