using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.VaultOutage;
using IndexForge.Resilience.Core.Faults.VaultSeal;
using Xunit;

namespace IndexForge.Resilience.Embedded.Tests.Faults.VaultSeal;

[Collection(SecretsCollection.Name)]
public sealed class VaultSealInjectorTests(SecretsFixture env)
{
    private async Task<int> HealthAsync()
    {
        var secrets = env.Runtime.Secrets!;
        using var response = await secrets.MetricsClient.GetAsync(new Uri(secrets.Server.Address, "/v1/sys/health"));
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task InjectAsync_Sealed_HealthIs503UntilReverted()
    {
        Assert.Equal(200, await HealthAsync());
        var fault = await env.InjectAsync(FaultTypes.VaultSeal, new VaultSealOptions { Name = "seal" });
        try
        {
            Assert.Equal(503, await HealthAsync());
        }
        finally
        {
            await fault.RevertAsync(CancellationToken.None);
        }
        Assert.Equal(200, await HealthAsync());
    }

    [Fact]
    public async Task InjectAsync_Outage_ConnectionsRefusedUntilReverted()
    {
        var fault = await env.InjectAsync(FaultTypes.VaultOutage, new VaultOutageOptions { Name = "outage" });
        try
        {
            await Assert.ThrowsAsync<HttpRequestException>(HealthAsync);
        }
        finally
        {
            await fault.RevertAsync(CancellationToken.None);
        }
        Assert.Equal(200, await HealthAsync());
    }
}

[Collection(HardenedCollection.Name)]
public sealed class VaultFaultsWithoutSecretsTests(HardenedFixture env)
{
    [Fact]
    public async Task InjectAsync_NoSecretsInScenario_ThrowsAClearError()
    {
        var e = await Assert.ThrowsAsync<FaultInjectionException>(() => env.InjectAsync(FaultTypes.VaultSeal, new VaultSealOptions()));
        Assert.Contains("secrets:", e.Message);
        await Assert.ThrowsAsync<FaultInjectionException>(() => env.InjectAsync(FaultTypes.VaultOutage, new VaultOutageOptions()));
    }
}
