using System.Net;
using IndexForge.Resilience.Vault.Client;
using IndexForge.Resilience.Vault.Server.Tls;
using IndexForge.Resilience.Vault.Tests.Support;
using Xunit;

namespace IndexForge.Resilience.Vault.Tests.Client;

public sealed class VaultTlsTests
{
    [Fact]
    public async Task Client_TrustingTheServerCa_Connects()
    {
        await using var vault = await VaultFixture.StartAsync();
        Assert.Equal("https", vault.Server.Address.Scheme);
        Assert.Equal(200, (await vault.RootClient().HealthAsync()).StatusCode);
    }

    [Fact]
    public async Task Client_TrustingAnotherCa_IsRefusedWithoutRetries()
    {
        await using var vault = await VaultFixture.StartAsync();
        using var other = CertificateAuthority.Create("someone else", TimeProvider.System, TimeSpan.FromDays(1));
        using var client = new VaultClient(vault.ClientOptions() with { CaCertificate = other.Certificate }, vault.Server.RootToken);

        var e = await Assert.ThrowsAsync<VaultUnavailableException>(() => client.HealthAsync());

        Assert.Equal(HttpRequestError.SecureConnectionError, ((HttpRequestException)e.InnerException!).HttpRequestError);
    }

    [Fact]
    public async Task Client_WithSystemTrustOnly_IsRefused()
    {
        await using var vault = await VaultFixture.StartAsync();
        using var client = new VaultClient(vault.ClientOptions() with { CaCertificate = null }, vault.Server.RootToken);
        await Assert.ThrowsAsync<VaultUnavailableException>(() => client.HealthAsync());
    }

    [Fact]
    public async Task Server_WithGivenCertificate_IsTrustedThroughItsCa()
    {
        using var ca = CertificateAuthority.Create("mesh CA", TimeProvider.System, TimeSpan.FromDays(1));
        using var certificate = ca.IssueServerCertificate([IPAddress.Loopback], ["vault.indexforge.local"], TimeProvider.System, TimeSpan.FromDays(1));
        await using var vault = await VaultFixture.StartAsync(o => o with { ServerCertificate = certificate, CaCertificate = ca.Certificate });

        Assert.Same(ca.Certificate, vault.Server.CaCertificate);
        Assert.Equal(200, (await vault.RootClient().HealthAsync()).StatusCode);
    }

    [Fact]
    public async Task Server_CertificateForAnotherAddress_FailsTheNameCheck()
    {
        using var ca = CertificateAuthority.Create("mesh CA", TimeProvider.System, TimeSpan.FromDays(1));
        using var certificate = ca.IssueServerCertificate([IPAddress.Parse("127.0.0.2")], ["elsewhere.local"], TimeProvider.System, TimeSpan.FromDays(1));
        await using var vault = await VaultFixture.StartAsync(o => o with { ServerCertificate = certificate, CaCertificate = ca.Certificate });

        await Assert.ThrowsAsync<VaultUnavailableException>(() => vault.RootClient().HealthAsync());
    }

    [Fact]
    public async Task Server_TlsDisabled_ServesPlainHttp()
    {
        await using var vault = await VaultFixture.StartAsync(o => o with { Tls = false });
        Assert.Equal("http", vault.Server.Address.Scheme);
        Assert.Null(vault.Server.CaCertificate);
        Assert.Equal(200, (await vault.RootClient().HealthAsync()).StatusCode);
    }
}
