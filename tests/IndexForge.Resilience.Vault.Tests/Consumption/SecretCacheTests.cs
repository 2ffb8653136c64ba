using IndexForge.Resilience.Vault.Client;
using IndexForge.Resilience.Vault.Consumption;
using IndexForge.Resilience.Vault.Server.Auth;
using IndexForge.Resilience.Vault.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IndexForge.Resilience.Vault.Tests.Consumption;

public sealed class SecretCacheTests : IAsyncLifetime
{
    private const string Path = "indexforge/api-key";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private VaultFixture _vault = null!;
    private VaultClient _root = null!;
    private VaultClient _service = null!;

    public async Task InitializeAsync()
    {
        // One clock for Vault (created_time) and the cache, so overlap arithmetic is exact.
        _vault = await VaultFixture.StartAsync(time: _time);
        _root = _vault.RootClient();
        await WriteAsync("credential-v1");
        _service = _vault.Client(_vault.Server.CreateToken(VaultPolicy.KvData("indexforge", "indexforge/", VaultCapabilities.Read)), maxRetries: 0);
    }

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    private Task<KvWriteResult> WriteAsync(string value) => _root.WriteSecretAsync(Path, new Dictionary<string, string> { ["api-key"] = value });

    private SecretCache Cache(TimeSpan overlap, TimeSpan? refresh = null) =>
        new(_service, new SecretCacheOptions { Path = Path, Overlap = overlap, RefreshInterval = refresh ?? TimeSpan.FromSeconds(5) }, _time);

    [Fact]
    public async Task Check_CurrentWrongEmptyAndOverlong_DecidesEach()
    {
        await using var cache = Cache(TimeSpan.FromSeconds(30));
        await cache.StartAsync();

        Assert.Equal(1, cache.CurrentVersion);
        Assert.Equal(CredentialMatch.Current, cache.Check("credential-v1"));
        Assert.Equal(CredentialMatch.Rejected, cache.Check("credential-v2"));
        Assert.Equal(CredentialMatch.Rejected, cache.Check("credential-v"));
        Assert.Equal(CredentialMatch.Rejected, cache.Check(""));
        Assert.Equal(CredentialMatch.Rejected, cache.Check(new string('x', 10_000)));
    }

    [Fact]
    public async Task Refresh_NewVersion_AcceptsPreviousOnlyDuringOverlap()
    {
        await using var cache = Cache(TimeSpan.FromSeconds(30));
        await cache.StartAsync();
        await WriteAsync("credential-v2");

        Assert.True(await cache.RefreshNowAsync());
        var during = cache.Check("credential-v1");
        var status = cache.Status;
        _time.Advance(TimeSpan.FromSeconds(29));
        var stillDuring = cache.Check("credential-v1");
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(2, cache.CurrentVersion);
        Assert.Equal(CredentialMatch.Current, cache.Check("credential-v2"));
        Assert.Equal(CredentialMatch.Previous, during);
        Assert.Equal(CredentialMatch.Previous, stillDuring);
        Assert.Equal(1, status.PreviousVersion);
        Assert.Equal(CredentialMatch.Rejected, cache.Check("credential-v1"));
        Assert.Null(cache.Status.PreviousVersion);
    }

    [Fact]
    public async Task Refresh_OverlapDisabled_RejectsPreviousAtOnce()
    {
        await using var cache = Cache(TimeSpan.Zero);
        await cache.StartAsync();
        await WriteAsync("credential-v2");

        await cache.RefreshNowAsync();

        Assert.Equal(CredentialMatch.Rejected, cache.Check("credential-v1"));
        Assert.Equal(CredentialMatch.Current, cache.Check("credential-v2"));
    }

    [Fact]
    public async Task Refresh_PreviousDestroyedEarly_StopsAcceptingIt()
    {
        await using var cache = Cache(TimeSpan.FromMinutes(5));
        await cache.StartAsync();
        await WriteAsync("credential-v2");
        await cache.RefreshNowAsync();
        Assert.Equal(CredentialMatch.Previous, cache.Check("credential-v1"));

        await _root.DestroyVersionsAsync(Path, [1]);
        await cache.RefreshNowAsync();

        Assert.Equal(CredentialMatch.Rejected, cache.Check("credential-v1"));
        Assert.Equal(CredentialMatch.Current, cache.Check("credential-v2"));
    }

    [Fact]
    public async Task Refresh_VaultSealed_KeepsServingAndReportsStaleness()
    {
        await using var cache = Cache(TimeSpan.FromSeconds(30));
        await cache.StartAsync();
        await _vault.Server.SealAsync();

        _time.Advance(TimeSpan.FromSeconds(30));
        var refreshed = await cache.RefreshNowAsync();
        var status = cache.Status;

        Assert.False(refreshed);
        Assert.Equal(CredentialMatch.Current, cache.Check("credential-v1"));
        Assert.Equal(TimeSpan.FromSeconds(30), status.Staleness);
        Assert.StartsWith("VaultSealedException", status.LastError);
        Assert.InRange(status.ConsecutiveFailures, 1, 7); // the explicit refresh plus whatever interval ticks the advance fired
        Assert.Equal(status.Failures, status.ConsecutiveFailures);
        Assert.Equal(1, status.CurrentVersion);
        Assert.DoesNotContain("credential-v1", status.ToString(), StringComparison.Ordinal);

        await _vault.Server.UnsealAsync();
        Assert.True(await cache.RefreshNowAsync());
        Assert.Equal(TimeSpan.Zero, cache.Status.Staleness);
        Assert.Equal(0, cache.Status.ConsecutiveFailures);
    }

    [Fact]
    public async Task Refresh_VaultStopped_KeepsServingAndReportsUnavailable()
    {
        await using var cache = Cache(TimeSpan.FromSeconds(30));
        await cache.StartAsync();
        await _vault.Server.StopAsync();

        _time.Advance(TimeSpan.FromSeconds(12));
        Assert.False(await cache.RefreshNowAsync());

        Assert.Equal(CredentialMatch.Current, cache.Check("credential-v1"));
        Assert.StartsWith("VaultUnavailableException", cache.Status.LastError);
        Assert.Equal(TimeSpan.FromSeconds(12), cache.Status.Staleness);
    }

    [Fact]
    public async Task StartAsync_VaultSealed_Throws()
    {
        await _vault.Server.SealAsync();
        await using var cache = Cache(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<VaultSealedException>(() => cache.StartAsync());
        Assert.Equal(CredentialMatch.Rejected, cache.Check("credential-v1"));
    }

    [Fact]
    public async Task StartAsync_MidRotation_AcceptsPreviousUntilOverlapSinceCreation()
    {
        _time.Advance(TimeSpan.FromSeconds(10));
        await WriteAsync("credential-v2");
        _time.Advance(TimeSpan.FromSeconds(5));
        await using var cache = Cache(TimeSpan.FromSeconds(30));

        await cache.StartAsync();
        var during = cache.Check("credential-v1");
        _time.Advance(TimeSpan.FromSeconds(26));

        Assert.Equal(CredentialMatch.Previous, during);
        Assert.Equal(CredentialMatch.Rejected, cache.Check("credential-v1"));
    }

    [Fact]
    public async Task Timer_AdvancingTheInterval_PicksUpTheNewVersion()
    {
        await using var cache = Cache(TimeSpan.FromSeconds(30), refresh: TimeSpan.FromSeconds(2));
        await cache.StartAsync();
        await WriteAsync("credential-v2");

        _time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(200);
        Assert.Equal(1, cache.CurrentVersion);
        _time.Advance(TimeSpan.FromSeconds(1));

        await Eventually.TrueAsync(() => cache.CurrentVersion == 2);
        Assert.True(cache.Status.Refreshes >= 2);
    }

    [Fact]
    public async Task Check_HotPath_DoesNotAllocate()
    {
        await using var cache = Cache(TimeSpan.FromSeconds(30));
        await cache.StartAsync();
        await WriteAsync("credential-v2");
        await cache.RefreshNowAsync();
        cache.Check("credential-v1");

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            cache.Check("credential-v2");
            cache.Check("credential-v1");
            cache.Check("nope");
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("the condition did not become true in time");
            await Task.Delay(20);
        }
    }
}
