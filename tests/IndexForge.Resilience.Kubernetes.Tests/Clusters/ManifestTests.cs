using System.Text.Json.Nodes;
using IndexForge.Resilience.Kubernetes.Clusters;
using IndexForge.Resilience.Testing;
using k8s;
using k8s.Models;
using Xunit;

namespace IndexForge.Resilience.Kubernetes.Tests.Clusters;

public sealed class ManifestTests
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["NAMESPACE"] = "indexforge-run-x", ["REPLICA"] = "us-west-2", ["REGION"] = "us-west", ["ZONE"] = "us-westb",
        ["IMAGE"] = "indexforge/sample-service:run-x", ["SECRET_PATH"] = "secret/data/indexforge/search-api", ["VAULT_ADDR"] = "https://vault.indexforge-run-x.svc:8200",
        ["VAULT_IMAGE"] = "hashicorp/vault:1.18.3", ["PROMETHEUS_IMAGE"] = "prom/prometheus:v3.1.0",
        ["ISTIO_REPO"] = "https://charts.example", ["ISTIO_BASE_VERSION"] = "1.24.2", ["ISTIOD_VERSION"] = "1.24.2",
        ["NAME"] = "agents-x", ["AGENTS"] = "4", ["CALLER_LOCALITY"] = "us-west.us-westa", ["START_AT"] = "1764244800000", ["SEED"] = "7",
        ["TARGET_URL"] = "http://indexforge.indexforge-run-x.svc.cluster.local:8080/", ["ACTIVE_DEADLINE_SECONDS"] = "300",
    };

    private static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Load(params string[] path) =>
        ManifestRenderer.Load(RepoPaths.Of(["clusters", "k3s", .. path]), Values);

    [Fact]
    public void Replica_RendersDeploymentWithPlanSecurityContextAndTopology()
    {
        var d = Assert.IsType<V1Deployment>(Assert.Single(Load("sample-service", "replica.yaml")));

        Assert.Equal("indexforge-us-west-2", d.Metadata.Name);
        var labels = d.Spec.Template.Metadata.Labels;
        Assert.Equal(("us-west", "us-westb", "us-west.us-westb", "us-west-2"),
            (labels["topology.kubernetes.io/region"], labels["topology.kubernetes.io/zone"], labels["istio-locality"], labels["indexforge.io/replica"]));
        var c = Assert.Single(d.Spec.Template.Spec.Containers);
        Assert.Equal((true, 1000L, true, false), (c.SecurityContext.RunAsNonRoot!.Value, c.SecurityContext.RunAsUser!.Value, c.SecurityContext.ReadOnlyRootFilesystem!.Value, c.SecurityContext.AllowPrivilegeEscalation!.Value));
        Assert.Equal(["ALL"], c.SecurityContext.Capabilities.Drop);
        Assert.Contains(c.VolumeMounts, m => m.MountPath == "/tmp");
        Assert.Equal("https://vault.indexforge-run-x.svc:8200", c.Env.Single(e => e.Name == "VAULT_ADDR").Value);
        Assert.Equal(["INDEXFORGE_PORT", "INDEXFORGE_REGION", "INDEXFORGE_REPLICA", "INDEXFORGE_SECRET_PATH", "INDEXFORGE_ZONE", "VAULT_ADDR", "VAULT_CACERT", "VAULT_TOKEN_FILE"],
            c.Env.Select(e => e.Name).Order());
        Assert.Equal(0, int.Parse(d.Spec.Strategy.RollingUpdate.MaxUnavailable.Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Service_HasServiceNetworkPolicyAndAccount()
    {
        var objects = Load("sample-service", "service.yaml");
        Assert.Equal(["ServiceAccount", "Service", "NetworkPolicy"], objects.Select(o => o.Kind));
        var policy = Assert.IsType<V1NetworkPolicy>(objects[2]);
        Assert.Equal(["Ingress", "Egress"], policy.Spec.PolicyTypes);
        Assert.Equal("indexforge", policy.Spec.PodSelector.MatchLabels["app"]);
    }

    [Fact]
    public void Vault_FileStorageTlsListenerAndNoDevMode()
    {
        var objects = Load("vault", "vault.yaml");
        var config = Assert.IsType<V1ConfigMap>(objects.Single(o => o.Kind == "ConfigMap")).Data["vault.hcl"];
        Assert.Contains("storage \"file\"", config);
        Assert.Contains("tls_disable   = 0", config);
        var set = Assert.IsType<V1StatefulSet>(objects.Single(o => o.Kind == "StatefulSet"));
        var c = Assert.Single(set.Spec.Template.Spec.Containers);
        Assert.Equal("hashicorp/vault:1.18.3", c.Image);
        Assert.DoesNotContain(c.Env, e => e.Name.StartsWith("VAULT_DEV", StringComparison.Ordinal));
        Assert.Single(set.Spec.VolumeClaimTemplates);
    }

    [Fact]
    public void Prometheus_ScrapesEnvoyAndVaultInTheRunNamespace()
    {
        var objects = Load("prometheus", "prometheus.yaml");
        var config = objects.OfType<V1ConfigMap>().Single().Data["prometheus.yml"];
        Assert.Contains("indexforge-run-x", config);
        Assert.Contains("/stats/prometheus", config);
        Assert.Contains("rule_files", config);
        Assert.Equal("prom/prometheus:v3.1.0", objects.OfType<V1Deployment>().Single().Spec.Template.Spec.Containers[0].Image);
    }

    [Fact]
    public void IstioCharts_ExposeOutlierStatsAndSerializeForApply()
    {
        var charts = Load("istio", "helmcharts.yaml");
        Assert.Equal(["istio-base", "istiod", "istio-ingressgateway"], charts.Select(c => c.Metadata.Name));
        var json = JsonNode.Parse(KubernetesJson.Serialize(charts[1]))!;
        Assert.Equal("1.24.2", json["spec"]!["version"]!.GetValue<string>());
        var values = json["spec"]!["valuesContent"]!.GetValue<string>();
        Assert.Contains(".*outlier_detection.*", values);
        Assert.Contains(".*upstream_rq_pending_overflow.*", values);
    }

    [Fact]
    public void LoadAgentJob_IndexedWithAgentCountAndSharedStart()
    {
        var job = Assert.IsType<V1Job>(Assert.Single(Load("load-agent", "job.yaml")));
        Assert.Equal((4, 4, "Indexed", 0), (job.Spec.Completions!.Value, job.Spec.Parallelism!.Value, job.Spec.CompletionMode, job.Spec.BackoffLimit!.Value));
        Assert.Contains("--start-at=1764244800000", job.Spec.Template.Spec.Containers[0].Args);
    }

    [Fact]
    public void Render_MissingValue_NamesEveryMissingPlaceholder()
    {
        var e = Assert.Throws<InvalidDataException>(() => ManifestRenderer.Render("a: ${ONE}\nb: ${TWO}\nc: ${NAMESPACE}", new Dictionary<string, string> { ["NAMESPACE"] = "x" }));
        Assert.Contains("ONE, TWO", e.Message);
    }

    [Fact]
    public void Versions_RepositoryFile_IsPinned()
    {
        var v = ClusterVersions.Load(RepoPaths.Of("clusters", "versions.yaml"));
        Assert.StartsWith("rancher/k3s:v", v.K3s.Image);
        Assert.Empty(v.Problems());
    }

    [Fact]
    public void Versions_LatestOrUntagged_Refused()
    {
        var v = new ClusterVersions
        {
            K3s = new K3sVersions { Image = "rancher/k3s:latest" },
            Vault = new ImageVersion { Image = "hashicorp/vault" },
        };
        var problems = v.Problems().ToList();
        Assert.Contains(problems, p => p.Contains("k3s.image", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("vault.image", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("istio.version", StringComparison.Ordinal));
    }
}
