using IndexForge.Resilience.Reports.Redaction;
using Xunit;

namespace IndexForge.Resilience.Reports.Tests.Redaction;

public sealed class SecretRedactorTests
{
    internal const string VaultToken = "hvs.CAESIJlU8sZc2xRbLq0m3vYw9TQxN2ZkYjA5LTk5ZmMtNDEx";
    internal const string LegacyToken = "s.Qf1s5zigZ4OX6akYjQXJC1jY";
    internal const string ApiKey = "ifk_live_7Hq2mXvA9bZ3tLw0";
    internal const string Pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx7bmI0Y5nK3aQ9w\nZfA3kq8=\n-----END RSA PRIVATE KEY-----";

    private static readonly SecretRedactor R = SecretRedactor.Default;

    [Theory]
    [InlineData("token " + VaultToken + " expired", "token [REDACTED] expired")]
    [InlineData("X-Vault-Token: " + VaultToken, "X-Vault-Token: [REDACTED]")]
    [InlineData("legacy " + LegacyToken + ".", "legacy [REDACTED].")]
    [InlineData("batch hvb.AAAAAQJ0bGlmZXRpbWUtdG9rZW4", "batch [REDACTED]")]
    [InlineData("x-indexforge-api-key: " + ApiKey, "x-indexforge-api-key: [REDACTED]")]
    [InlineData("X-IndexForge-Api-Key=" + ApiKey + "&q=1", "X-IndexForge-Api-Key=[REDACTED]&q=1")]
    [InlineData("{\"x-indexforge-api-key\": \"" + ApiKey + "\"}", "{\"x-indexforge-api-key\": \"[REDACTED]\"}")]
    [InlineData("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "Authorization: Bearer [REDACTED]")]
    [InlineData("password=hunter2hunter2 user=bob", "password=[REDACTED] user=bob")]
    public void Redact_SecretForms_AreReplaced(string input, string expected) => Assert.Equal(expected, R.Redact(input));

    [Fact]
    public void Redact_PemPrivateKey_IsRemovedWhole()
    {
        var text = "key follows:\n" + Pem + "\nend";
        Assert.Equal("key follows:\n[REDACTED]\nend", R.Redact(text));
    }

    [Fact]
    public void Redact_PemWithEscapedNewlinesInJson_IsRemoved()
    {
        var json = "{\"key\": \"" + Pem.Replace("\n", "\\n", StringComparison.Ordinal) + "\"}";
        Assert.Equal("{\"key\": \"[REDACTED]\"}", R.Redact(json));
    }

    [Fact]
    public void Redact_TruncatedPem_IsRemovedToTheEndOfTheKey()
    {
        var text = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC";
        Assert.Equal("[REDACTED]", R.Redact(text));
    }

    [Theory]
    [InlineData("p(95) = 12.4ms; rate(failed) == 0")]
    [InlineData("the host was unejected at the next interval sweep; token lookup succeeded")]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----")]
    [InlineData("clusters/hardened/istio/destination-rule.yaml:18:9 sha 5f0c7e1a9b3d4c2e8f6a1b0c9d8e7f6a")]
    [InlineData("process.StandardOutput is a s.short token-like word")]
    [InlineData("Authorization header missing")]
    public void Redact_OrdinaryReportText_IsUnchanged(string text)
    {
        // Negative controls: redaction must not eat the figures and words a report is made of.
        Assert.Equal(text, R.Redact(text));
        Assert.False(R.ContainsSecret(text));
    }

    [Fact]
    public void WithLiterals_KnownSecret_IsRemovedWherever()
    {
        var r = R.WithLiterals(["correct-horse-battery-staple", "short"]);
        Assert.Equal("db=[REDACTED];pw=short", r.Redact("db=correct-horse-battery-staple;pw=short"));
    }
}
