using Xunit;
using static IndexForge.Resilience.Lint.Tests.LintHarness;

namespace IndexForge.Resilience.Lint.Tests.Rules;

public sealed class VaultRulesTests
{
    private static string Compose(string image = "hashicorp/vault:1.21.0", string env = "", string command = "server",
        string healthcheck = "[\"CMD-SHELL\", \"wget -q -O /dev/null --no-check-certificate 'https://127.0.0.1:8200/v1/sys/health?standbyok=true'\"]",
        string volumes = "      - vault_data:/vault/file", string topVolumes = "volumes:\n  vault_data: {}") => $"""
        services:
          vault:
            image: {image}
            environment:
              SKIP_SETCAP: "true"
        {env}
            volumes:
        {volumes}
            command: {command}
            healthcheck:
              test: {healthcheck}
        {topVolumes}
        """;

    private const string Hcl = """
        storage "raft" {
          path    = "/vault/file"
          node_id = "vault-0"
        }
        listener "tcp" {
          address       = "0.0.0.0:8200"
          tls_cert_file = "/vault/tls/tls.crt"
          tls_key_file  = "/vault/tls/tls.key"
        }
        api_addr     = "https://vault.local:8200"
        cluster_addr = "https://vault.local:8201"
        telemetry {
          disable_hostname = true
        }
        """;

    private static Dictionary<string, string> Set(string compose, string hcl = Hcl) =>
        Files(("vault/docker-compose.yaml", compose), ("vault/vault.hcl", hcl));

    [Fact]
    public void VAULT001_DevEnvironmentInServerMode_FlaggedWhileAbsentIsNot()
    {
        AssertRule("VAULT001", Set(Compose(env: "      VAULT_DEV_ROOT_TOKEN_ID: x")), Set(Compose()));
        var dev = Findings("VAULT001", Set(Compose(command: "server -dev")));
        Assert.True(IsError(Assert.Single(dev)));
    }

    [Fact]
    public void VAULT002_LibraryImage_FlaggedWhileHashicorpVaultIsNot() =>
        AssertRule("VAULT002", Set(Compose(image: "vault:1.13.3")), Set(Compose()));

    [Theory]
    [InlineData("vault:1.13.3", true)]
    [InlineData("hashicorp/vault:1.15.6", true)]
    [InlineData("hashicorp/vault:1.19.0", false)]
    [InlineData("hashicorp/vault:1.21.0", false)]
    [InlineData("hashicorp/vault:2.0.0", false)]
    public void VAULT003_Version_EndOfLifeBelowOldestSupportedMinor(string image, bool flagged) =>
        Assert.Equal(flagged, Findings("VAULT003", Set(Compose(image: image))).Count > 0);

    [Theory]
    [InlineData("[\"CMD\", \"vault\", \"status\"]", "", true)]  // TLS listener, no CA: x509 failure on a healthy Vault
    [InlineData("[\"CMD\", \"vault\", \"status\"]", "      VAULT_ADDR: https://127.0.0.1:8200\n      VAULT_CACERT: /vault/tls/ca.pem", false)]
    [InlineData("[\"CMD-SHELL\", \"wget -q -O - https://127.0.0.1:8200/v1/sys/health\"]", "", true)]  // standby 429
    [InlineData("[\"CMD-SHELL\", \"curl -s https://127.0.0.1:8200/v1/sys/health?standbyok=true\"]", "", true)]  // curl without --fail
    [InlineData("[\"CMD-SHELL\", \"curl -sf https://127.0.0.1:8200/v1/sys/health?standbyok=true\"]", "", false)]
    [InlineData("[\"CMD-SHELL\", \"wget -q -O - 'https://127.0.0.1:8200/v1/sys/health?standbyok=true&sealedcode=200'\"]", "", true)]
    [InlineData("[\"CMD-SHELL\", \"wget -q -O - https://127.0.0.1:8200/v1/sys/seal-status\"]", "", true)]
    [InlineData("[\"CMD-SHELL\", \"vault status || true\"]", "      VAULT_CACERT: /vault/tls/ca.pem", true)]
    public void VAULT004_HealthCheck_SealedUnhealthyAndStandbyHealthy(string test, string env, bool flagged) =>
        Assert.Equal(flagged, Findings("VAULT004", Set(Compose(healthcheck: test, env: env))).Count > 0);

    [Fact]
    public void VAULT004_PlanHealthCheck_FlaggedWhileStandbyOkProbeIsNot() =>
        AssertRule("VAULT004", Set(Compose(healthcheck: "[\"CMD\", \"vault\", \"status\"]")), Set(Compose()));

    [Fact]
    public void VAULT005_ConfigFileInsideConfigDir_FlaggedWhilePlainServerIsNot() =>
        AssertRule("VAULT005", Set(Compose(command: "server -config=/vault/config/vault.hcl")), Set(Compose()));

    [Fact]
    public void VAULT006_HttpsApiAddrOnPlainListener_FlaggedWhileMatchingIsNot()
    {
        AssertRule("VAULT006", Set(Compose(), Hcl.Replace("tls_cert_file", "tls_disable = 1\n  tls_cert_file")), Set(Compose()));
        var unused = Findings("VAULT006", Set(Compose(), Hcl.Replace("storage \"raft\"", "storage \"file\"")));
        Assert.Contains(unused, f => f.Message.Contains("has no HA", StringComparison.Ordinal));
    }

    [Fact]
    public void VAULT007_TlsDisabled_FlaggedWhileTlsOnIsNot() =>
        AssertRule("VAULT007", Set(Compose(), Hcl.Replace("tls_cert_file", "tls_disable = \"true\"\n  tls_cert_file")), Set(Compose()));

    [Fact]
    public void VAULT008_AwsKmsWithoutCredentials_FlaggedWhileCredentialsOrShamirAreNot()
    {
        var kms = Hcl + "\nseal \"awskms\" {\n  region = \"us-west-2\"\n  kms_key_id = \"alias/vault-key\"\n}\n";
        AssertRule("VAULT008", Set(Compose(), kms), Set(Compose()));
        Assert.Empty(Findings("VAULT008", Set(Compose(env: "      AWS_ROLE_ARN: arn:aws:iam::1:role/vault\n      AWS_WEB_IDENTITY_TOKEN_FILE: /t"), kms)));
    }

    [Fact]
    public void VAULT009_FileStorage_FlaggedWhileRaftIsNot() =>
        AssertRule("VAULT009", Set(Compose(), Hcl.Replace("storage \"raft\"", "storage \"file\"")), Set(Compose()));

    [Fact]
    public void VAULT010_VaultAlertsWithoutDisableHostname_FlaggedWhileConfiguredIsNot()
    {
        const string rules = "groups:\n  - name: g\n    rules:\n      - alert: VaultSealed\n        expr: vault_core_unsealed == 0\n        for: 1m\n";
        var without = Hcl.Replace("telemetry {\n  disable_hostname = true\n}", "");
        AssertRule("VAULT010",
            Files(("vault/vault.hcl", without), ("prometheus/rules.yaml", rules)),
            Files(("vault/vault.hcl", Hcl), ("prometheus/rules.yaml", rules)));
        Assert.Empty(Findings("VAULT010", Files(("vault/vault.hcl", without))));
    }

    [Fact]
    public void COMPOSE001_UndeclaredNamedVolume_FlaggedWhileDeclaredOrBindMountIsNot()
    {
        AssertRule("COMPOSE001", Set(Compose(topVolumes: "")), Set(Compose()));
        Assert.Empty(Findings("COMPOSE001", Set(Compose(volumes: "      - ./data:/vault/file", topVolumes: ""))));
    }
}
