using Xunit;
using static IndexForge.Resilience.Lint.Tests.LintHarness;

namespace IndexForge.Resilience.Lint.Tests.Rules;

public sealed class GatewayAndTlsRulesTests
{
    private const string Strong = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305";

    private static Dictionary<string, string> Kong(string protocols = "TLSv1.2 TLSv1.3", string ciphers = Strong, string suite = "custom", string extra = "proxy_listen: 0.0.0.0:8443 http2 ssl\n") =>
        Files(("gateway/kong.yaml", (suite.Length > 0 ? $"ssl_cipher_suite: {suite}\n" : "") + $"ssl_protocols: {protocols}\nssl_ciphers: {ciphers}\n" + extra));

    [Fact]
    public void TLS001_Tls11Enabled_FlaggedWhileTls12And13AreNot() =>
        AssertRule("TLS001", Kong(protocols: "TLSv1.1 TLSv1.2 TLSv1.3"), Kong());

    [Fact]
    public void TLS001_VaultListenerMinimumTls10_Flagged() =>
        AssertRule("TLS001",
            Files(("vault/vault.hcl", "listener \"tcp\" {\n  address = \"0.0.0.0:8200\"\n  tls_min_version = \"tls10\"\n}\n")),
            Files(("vault/vault.hcl", "listener \"tcp\" {\n  address = \"0.0.0.0:8200\"\n  tls_min_version = \"tls12\"\n}\n")));

    [Fact]
    public void TLS002_CbcAndRsaKeyExchangeAndTripleDes_FlaggedWhileEcdheAeadIsNot()
    {
        var findings = AssertRule("TLS002", Kong(ciphers: Strong + ":ECDHE-RSA-AES128-SHA256:AES128-GCM-SHA256:DES-CBC3-SHA"), Kong());
        Assert.Contains(findings, f => IsError(f) && f.Message.Contains("DES-CBC3-SHA", StringComparison.Ordinal));
        Assert.Contains(findings, f => !IsError(f) && f.Message.Contains("AES128-GCM-SHA256", StringComparison.Ordinal) && f.Message.Contains("ECDHE-RSA-AES128-SHA256", StringComparison.Ordinal));
    }

    [Fact]
    public void TLS003_Http2WithProhibitedSuite_FlaggedWhileAeadOnlyIsNot()
    {
        AssertRule("TLS003", Kong(ciphers: Strong + ":ECDHE-RSA-AES256-SHA384"), Kong());
        Assert.NotEmpty(Findings("TLS003", Kong(ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256")));  // mandatory h2 suite missing
        Assert.Empty(Findings("TLS003", Kong(ciphers: Strong + ":ECDHE-RSA-AES256-SHA384", extra: "")));  // no HTTP/2
    }

    [Fact]
    public void KONG001_CiphersWithoutCustomSuite_FlaggedWhileCustomIsNot() =>
        AssertRule("KONG001", Kong(suite: ""), Kong());

    [Fact]
    public void KONG002_Http2Property_FlaggedWhileListenerFlagIsNot() =>
        AssertRule("KONG002", Kong(extra: "http2: on\n"), Kong());

    [Fact]
    public void KONG003_CircuitBreakerPlugin_FlaggedWhileBundledPluginIsNot() =>
        AssertRule("KONG003",
            Files(("gateway/kong.yaml", "plugins:\n  - name: circuit-breaker\n    config:\n      failures: 5\n")),
            Files(("gateway/kong.yaml", "plugins:\n  - name: rate-limiting\n    config:\n      minute: 5\n")));
}
