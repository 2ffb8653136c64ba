using IndexForge.Resilience.Vault.Client;
using IndexForge.Resilience.Vault.Server;
using IndexForge.Resilience.Vault.Server.Auth;
using IndexForge.Resilience.Vault.Tests.Support;
using Xunit;

namespace IndexForge.Resilience.Vault.Tests.Client;

public sealed class VaultClientSysTests : IAsyncLifetime
{
    private VaultFixture _vault = null!;
    private VaultClient _client = null!;

    public async Task InitializeAsync()
    {
        _vault = await VaultFixture.StartAsync();
        _client = _vault.RootClient();
    }

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    [Fact]
    public async Task HealthAsync_ActiveUnsealed_Returns200WithBody()
    {
        var health = await _client.HealthAsync();

        Assert.Equal(200, health.StatusCode);
        Assert.True(health.Initialized);
        Assert.False(health.Sealed);
        Assert.False(health.Standby);
        Assert.Equal("1.13.3", health.Version);
        Assert.StartsWith("vault-cluster-", health.ClusterName);
        Assert.NotNull(health.ClusterId);
        Assert.InRange(DateTimeOffset.UtcNow - health.ServerTime, TimeSpan.FromSeconds(-5), TimeSpan.FromMinutes(1));
    }

    [Theory]
    [InlineData(VaultNodeRole.Standby, null, null, 429)]
    [InlineData(VaultNodeRole.Standby, true, null, 200)]
    [InlineData(VaultNodeRole.PerformanceStandby, null, null, 473)]
    [InlineData(VaultNodeRole.PerformanceStandby, null, true, 200)]
    [InlineData(VaultNodeRole.PerformanceStandby, true, null, 473)]
    public async Task HealthAsync_StandbyRoles_HonourQueryOverrides(VaultNodeRole role, bool? standbyOk, bool? perfStandbyOk, int expected)
    {
        _vault.Server.Role = role;
        var health = await _client.HealthAsync(new VaultHealthQuery { StandbyOk = standbyOk, PerfStandbyOk = perfStandbyOk });
        Assert.Equal(expected, health.StatusCode);
        Assert.True(health.Standby);
    }

    [Fact]
    public async Task HealthAsync_CustomCodes_AreReturned()
    {
        Assert.Equal(299, (await _client.HealthAsync(new VaultHealthQuery { ActiveCode = 299 })).StatusCode);
        _vault.Server.Role = VaultNodeRole.Standby;
        Assert.Equal(298, (await _client.HealthAsync(new VaultHealthQuery { StandbyCode = 298 })).StatusCode);
        _vault.Server.Role = VaultNodeRole.PerformanceStandby;
        Assert.Equal(297, (await _client.HealthAsync(new VaultHealthQuery { PerformanceStandbyCode = 297 })).StatusCode);
    }

    [Fact]
    public async Task HealthAsync_Sealed_Returns503AndHonoursSealedCode()
    {
        await _client.SealAsync();

        var sealedHealth = await _client.HealthAsync();
        var overridden = await _client.HealthAsync(new VaultHealthQuery { SealedCode = 200 });

        Assert.Equal(503, sealedHealth.StatusCode);
        Assert.True(sealedHealth.Sealed);
        Assert.Null(sealedHealth.ClusterName);
        Assert.Equal(200, overridden.StatusCode);
        Assert.True(overridden.Sealed);
    }

    [Fact]
    public async Task HealthAsync_NotInitialized_Returns501AndHonoursUninitCode()
    {
        await using var vault = await VaultFixture.StartAsync(o => o with { Initialize = false });
        var client = vault.Client(new VaultToken("none"));

        var health = await client.HealthAsync();
        var overridden = await client.HealthAsync(new VaultHealthQuery { UninitCode = 200 });

        Assert.Equal(501, health.StatusCode);
        Assert.False(health.Initialized);
        Assert.True(health.Sealed);
        Assert.Equal(200, overridden.StatusCode);
    }

    [Fact]
    public async Task InitializeAsync_ThenUnsealWithThresholdKeys_UnsealsStepByStep()
    {
        await using var vault = await VaultFixture.StartAsync(o => o with { Initialize = false });
        var client = vault.Client(new VaultToken("none"));

        var init = await client.InitializeAsync(5, 3);
        var afterInit = await client.SealStatusAsync();
        var first = await client.UnsealAsync(init.Keys[4]);
        var second = await client.UnsealAsync(init.KeysBase64[0]);
        var third = await client.UnsealAsync(init.Keys[2]);

        Assert.Equal(5, init.Keys.Count);
        Assert.True(afterInit.Initialized);
        Assert.True(afterInit.Sealed);
        Assert.Equal((3, 5), (afterInit.Threshold, afterInit.Shares));
        Assert.Equal((true, 1), (first.Sealed, first.Progress));
        Assert.Equal((true, 2), (second.Sealed, second.Progress));
        Assert.Equal(first.Nonce, second.Nonce);
        Assert.False(third.Sealed);
        Assert.Equal(0, third.Progress);
        using var root = new VaultClient(vault.ClientOptions(), init.RootToken);
        Assert.Equal(["root"], (await root.LookupSelfAsync()).Policies);
        Assert.DoesNotContain(init.Keys[0], init.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitializeAsync_AlreadyInitialized_IsRefused()
    {
        var e = await Assert.ThrowsAsync<VaultRequestException>(() => _client.InitializeAsync(1, 1));
        Assert.Contains("Vault is already initialized", e.Errors);
    }

    [Fact]
    public async Task UnsealAsync_WrongKeys_FailsAndResetsProgress()
    {
        await _client.SealAsync();
        var keys = _vault.Server.Initialization!.Keys;
        await _client.UnsealAsync(keys[0]);
        await _client.UnsealAsync(keys[1]);
        // A share of the right length that belongs to no split: the recombined key is wrong.
        var forged = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(33));

        var e = await Assert.ThrowsAsync<VaultRequestException>(() => _client.UnsealAsync(forged));
        var status = await _client.SealStatusAsync();

        Assert.Contains("Unseal failed, invalid key", e.Errors);
        Assert.True(status.Sealed);
        Assert.Equal(0, status.Progress);
    }

    [Fact]
    public async Task UnsealAsync_SameKeyTwice_CountsOnce()
    {
        await _client.SealAsync();
        var key = _vault.Server.Initialization!.Keys[0];
        await _client.UnsealAsync(key);
        var again = await _client.UnsealAsync(key);
        Assert.Equal(1, again.Progress);
        var reset = await _client.ResetUnsealAsync();
        Assert.Equal(0, reset.Progress);
    }

    [Fact]
    public async Task ReadSecretAsync_Sealed_ThrowsSealedWithoutRetry()
    {
        await _client.WriteSecretAsync("indexforge/api-key", new Dictionary<string, string> { ["api-key"] = "x" });
        var recording = new RecordingHandler(_vault.TrustingHandler());
        var client = _vault.Client(handler: recording, maxRetries: 3);
        await _vault.Server.SealAsync();

        var e = await Assert.ThrowsAsync<VaultSealedException>(() => client.ReadSecretAsync("indexforge/api-key"));

        Assert.Equal(1, recording.Count);
        Assert.Equal(503, e.StatusCode);
        await _vault.Server.UnsealAsync();
        Assert.Equal("x", (await client.ReadSecretAsync("indexforge/api-key")).GetString("api-key"));
    }

    [Fact]
    public async Task LookupSelfAsync_LimitedToken_ReportsItsPolicies()
    {
        var token = _vault.Server.CreateToken(VaultPolicy.KvData("indexforge-read", "indexforge/", VaultCapabilities.Read), TimeSpan.FromHours(1));
        var info = await _vault.Client(token).LookupSelfAsync();

        Assert.Equal(["default", "indexforge-read"], info.Policies);
        Assert.Equal("auth/token/create", info.Path);
        Assert.InRange(info.Ttl, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.NotNull(info.ExpireTime);
        Assert.DoesNotContain(token.Reveal(), info.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadSecretAsync_TokenLimitedToIndexforge_ForbiddenElsewhere()
    {
        await _client.WriteSecretAsync("indexforge/api-key", new Dictionary<string, string> { ["api-key"] = "a" });
        await _client.WriteSecretAsync("payments/api-key", new Dictionary<string, string> { ["api-key"] = "b" });
        var token = _vault.Server.CreateToken(VaultPolicy.KvData("indexforge-read", "indexforge/", VaultCapabilities.Read));
        var limited = _vault.Client(token);

        var allowed = await limited.ReadSecretAsync("indexforge/api-key");
        var e = await Assert.ThrowsAsync<VaultForbiddenException>(() => limited.ReadSecretAsync("payments/api-key"));

        Assert.Equal("a", allowed.GetString("api-key"));
        Assert.Equal("secret/data/payments/api-key", e.Path);
        Assert.DoesNotContain(token.Reveal(), e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<VaultForbiddenException>(() => limited.WriteSecretAsync("indexforge/api-key", new Dictionary<string, string> { ["api-key"] = "c" }));
        await Assert.ThrowsAsync<VaultForbiddenException>(() => limited.ReadMetadataAsync("indexforge/api-key"));
        await Assert.ThrowsAsync<VaultForbiddenException>(() => limited.SealAsync());
        Assert.False((await _client.HealthAsync()).Sealed);
    }

    [Fact]
    public async Task ReadSecretAsync_UnknownToken_Forbidden()
    {
        var e = await Assert.ThrowsAsync<VaultForbiddenException>(() => _vault.Client(new VaultToken("hvs.not-a-token")).ReadSecretAsync("indexforge/api-key"));
        Assert.Equal(403, e.StatusCode);
    }

    [Fact]
    public async Task ReadSecretAsync_ExpiredToken_Forbidden()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var vault = await VaultFixture.StartAsync(time: time);
        var token = vault.Server.CreateToken(VaultPolicy.KvData("p", "indexforge/", VaultCapabilities.Read | VaultCapabilities.Create), TimeSpan.FromMinutes(10));
        var client = vault.Client(token);
        await client.WriteSecretAsync("indexforge/api-key", new Dictionary<string, string> { ["api-key"] = "a" });

        time.Advance(TimeSpan.FromMinutes(11));

        await Assert.ThrowsAsync<VaultForbiddenException>(() => client.ReadSecretAsync("indexforge/api-key"));
    }

    [Fact]
    public async Task Requests_WithNamespace_SendNamespaceHeaderAndToken()
    {
        var recording = new RecordingHandler(_vault.TrustingHandler());
        using var client = new VaultClient(_vault.ClientOptions() with { Namespace = "indexforge" }, _vault.Server.RootToken, recording);

        await client.HealthAsync();
        await client.ListAsync("");

        Assert.Equal("indexforge", recording.Requests[1].Headers["X-Vault-Namespace"]);
        Assert.True(recording.Requests[1].Headers.ContainsKey("X-Vault-Token"));
        Assert.False(recording.Requests[0].Headers.ContainsKey("X-Vault-Token"));
        Assert.Equal("LIST", recording.Requests[1].Method.Method);
        Assert.Equal("/v1/secret/metadata/", recording.Requests[1].Path);
    }

    [Fact]
    public async Task Client_ToString_HidesToken()
    {
        var text = _client.ToString();
        Assert.DoesNotContain(_vault.Server.RootToken.Reveal(), text, StringComparison.Ordinal);
        Assert.Contains(_vault.Server.Address.Authority, text, StringComparison.Ordinal);
        Assert.Equal("VaultToken(redacted)", _vault.Server.RootToken.ToString());
        await Task.CompletedTask;
    }
}
