using IndexForge.Resilience.Vault.Server.Auth;
using Xunit;

namespace IndexForge.Resilience.Vault.Tests.Server.Auth;

public sealed class AclTests
{
    private static Acl Acl(params VaultPolicyRule[] rules) => new([new VaultPolicy("p", rules)]);

    [Theory]
    [InlineData("secret/data/indexforge/*", "secret/data/indexforge/api-key", true)]
    [InlineData("secret/data/indexforge/*", "secret/data/indexforge/db/password", true)]
    [InlineData("secret/data/indexforge/*", "secret/data/payments/api-key", false)]
    [InlineData("secret/data/indexforge/*", "secret/metadata/indexforge/api-key", false)]
    [InlineData("secret/data/index*", "secret/data/indexforge/x", true)]
    [InlineData("secret/data/+/api-key", "secret/data/indexforge/api-key", true)]
    [InlineData("secret/data/+/api-key", "secret/data/a/b/api-key", false)]
    [InlineData("secret/+/indexforge/*", "secret/metadata/indexforge/x", true)]
    [InlineData("secret/data/exact", "secret/data/exact", true)]
    [InlineData("secret/data/exact", "secret/data/exact/more", false)]
    public void Allows_PathPatterns_MatchAsVaultGlobs(string pattern, string path, bool expected) =>
        Assert.Equal(expected, Acl(new VaultPolicyRule(pattern, VaultCapabilities.Read)).Allows(path, VaultCapabilities.Read));

    [Fact]
    public void CapabilitiesOn_ExactPathBeatsGlob()
    {
        var acl = Acl(new("secret/data/*", VaultCapabilities.Read | VaultCapabilities.Update), new("secret/data/locked", VaultCapabilities.Read));
        Assert.Equal(VaultCapabilities.Read, acl.CapabilitiesOn("secret/data/locked"));
        Assert.True(acl.Allows("secret/data/other", VaultCapabilities.Update));
    }

    [Fact]
    public void CapabilitiesOn_LongerGlobBeatsShorter()
    {
        var acl = Acl(new("secret/*", VaultCapabilities.Read), new("secret/data/indexforge/*", VaultCapabilities.Deny));
        Assert.Equal(VaultCapabilities.Deny, acl.CapabilitiesOn("secret/data/indexforge/x"));
        Assert.False(acl.Allows("secret/data/indexforge/x", VaultCapabilities.Read));
        Assert.True(acl.Allows("secret/data/other", VaultCapabilities.Read));
    }

    [Fact]
    public void CapabilitiesOn_SamePathInTwoPolicies_Merges()
    {
        var acl = new Acl([new VaultPolicy("a", [new("secret/data/x", VaultCapabilities.Read)]), new VaultPolicy("b", [new("secret/data/x", VaultCapabilities.Update)])]);
        Assert.True(acl.Allows("secret/data/x", VaultCapabilities.Read | VaultCapabilities.Update));
    }

    [Fact]
    public void Allows_RootPolicy_GrantsSudoEverywhere()
    {
        var acl = new Acl([new VaultPolicy(VaultPolicy.RootName, [])]);
        Assert.True(acl.Allows("sys/seal", VaultCapabilities.Update | VaultCapabilities.Sudo));
    }

    [Fact]
    public void Allows_NoRule_Denies() =>
        Assert.False(Acl().Allows("secret/data/x", VaultCapabilities.Read));

    [Fact]
    public void Parse_PlanStylePolicy_ReadsRules()
    {
        var policy = VaultPolicy.Parse("indexforge", """
            # service read access
            path "secret/data/indexforge/*" {
              capabilities = ["read", "list"]
            }
            path "sys/seal" { capabilities = ["update", "sudo"] }
            """);
        Assert.Equal(
            [new VaultPolicyRule("secret/data/indexforge/*", VaultCapabilities.Read | VaultCapabilities.List), new VaultPolicyRule("sys/seal", VaultCapabilities.Update | VaultCapabilities.Sudo)],
            policy.Rules);
    }

    [Theory]
    [InlineData("path \"a\" { capabilities = [\"fly\"] }", "invalid capability")]
    [InlineData("path \"a\" { }", "no capabilities")]
    [InlineData("path \"a\" { capabilities = [\"read\"]", "unexpected end")]
    [InlineData("key \"a\" { capabilities = [\"read\"] }", "unexpected 'key'")]
    public void Parse_Invalid_Throws(string hcl, string message)
    {
        var e = Assert.Throws<PolicyParseException>(() => VaultPolicy.Parse("x", hcl));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
