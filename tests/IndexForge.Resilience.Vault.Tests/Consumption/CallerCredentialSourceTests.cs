using IndexForge.Resilience.Vault.Client;
using IndexForge.Resilience.Vault.Consumption;
using IndexForge.Resilience.Vault.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IndexForge.Resilience.Vault.Tests.Consumption;

public sealed class CallerCredentialSourceTests : IAsyncLifetime
{
    private const string Path = "indexforge/api-key";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private VaultFixture _vault = null!;
    private VaultClient _root = null!;

    public async Task InitializeAsync()
    {
        _vault = await VaultFixture.StartAsync(time: _time);
        _root = _vault.RootClient();
        await WriteAsync("credential-v1");
    }

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    private Task<KvWriteResult> WriteAsync(string value) => _root.WriteSecretAsync(Path, new Dictionary<string, string> { ["api-key"] = value });

    private CallerCredentialSource Source(TimeSpan adoptAfter) =>
        new(_vault.Client(maxRetries: 0), new CallerCredentialOptions { Path = Path, AdoptAfter = adoptAfter, RefreshInterval = TimeSpan.FromSeconds(1) }, _time);

    [Fact]
    public async Task Current_NewVersion_AdoptedOnlyAfterTheDelay()
    {
        await using var source = Source(TimeSpan.FromSeconds(5));
        await source.StartAsync();
        await WriteAsync("credential-v2");

        await source.RefreshNowAsync();
        var pending = source.Pending;
        var before = source.Current;
        _time.Advance(TimeSpan.FromSeconds(4.9));
        var almost = source.Current;
        _time.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal(2, pending!.Value.Version);
        Assert.Equal("credential-v1", before);
        Assert.Equal("credential-v1", almost);
        Assert.Equal("credential-v2", source.Current);
        Assert.Equal(2, source.CurrentVersion);
        Assert.Null(source.Pending);
    }

    [Fact]
    public async Task Current_AdoptAfterZero_SwitchesAtTheNextRead()
    {
        await using var source = Source(TimeSpan.Zero);
        await source.StartAsync();
        await WriteAsync("credential-v2");
        await source.RefreshNowAsync();
        Assert.Equal("credential-v2", source.Current);
    }

    [Fact]
    public async Task StartAsync_MidRotation_PresentsPreviousUntilDelaySinceCreation()
    {
        await WriteAsync("credential-v2");
        _time.Advance(TimeSpan.FromSeconds(2));
        await using var source = Source(TimeSpan.FromSeconds(5));

        await source.StartAsync();
        var first = source.Current;
        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal("credential-v1", first);
        Assert.Equal("credential-v2", source.Current);
    }

    [Fact]
    public async Task Refresh_VaultSealed_KeepsPresentingWhatItHas()
    {
        await using var source = Source(TimeSpan.FromSeconds(5));
        await source.StartAsync();
        await _vault.Server.SealAsync();

        Assert.False(await source.RefreshNowAsync());
        Assert.Equal("credential-v1", source.Current);
        Assert.StartsWith("VaultSealedException", source.Status.LastError);
    }

    [Fact]
    public async Task Current_HotPath_DoesNotAllocate()
    {
        await using var source = Source(TimeSpan.FromSeconds(5));
        await source.StartAsync();
        await WriteAsync("credential-v2");
        await source.RefreshNowAsync();
        _ = source.Current;
        _time.Advance(TimeSpan.FromSeconds(5));
        _ = source.Current;

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++) _ = source.Current;
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
