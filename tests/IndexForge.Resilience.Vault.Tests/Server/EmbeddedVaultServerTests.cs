using System.Text;
using IndexForge.Resilience.Vault.Client;
using IndexForge.Resilience.Vault.Server;
using IndexForge.Resilience.Vault.Server.Auth;
using IndexForge.Resilience.Vault.Server.Storage;
using IndexForge.Resilience.Vault.Tests.Support;
using Xunit;

namespace IndexForge.Resilience.Vault.Tests.Server;

/// <summary>Lifecycle and durability: stop/start, a new process over the same storage, crashes mid-write, nothing secret in clear on disk.</summary>
public sealed class EmbeddedVaultServerTests
{
    private static Dictionary<string, string> Data(string value) => new() { ["api-key"] = value };

    private static async Task WriteVersionsAsync(VaultClient client, int count)
    {
        for (var i = 1; i <= count; i++) await client.WriteSecretAsync("indexforge/api-key", Data($"value-{i}"));
    }

    private static async Task AssertVersionsAsync(VaultClient client, int count)
    {
        for (var i = 1; i <= count; i++)
            Assert.Equal($"value-{i}", (await client.ReadSecretAsync("indexforge/api-key", i)).GetString("api-key"));
    }

    [Fact]
    public async Task StopThenStart_KeepsEveryVersionAndTheAddress()
    {
        await using var vault = await VaultFixture.StartAsync();
        var client = vault.RootClient();
        await WriteVersionsAsync(client, 4);
        var address = vault.Server.Address;

        await vault.Server.StopAsync();
        await vault.Server.StartAsync();

        Assert.Equal(address, vault.Server.Address);
        await AssertVersionsAsync(client, 4);
        Assert.Equal(4, (await client.ReadMetadataAsync("indexforge/api-key")).CurrentVersion);
    }

    [Fact]
    public async Task Stopped_RefusesConnections()
    {
        await using var vault = await VaultFixture.StartAsync();
        var raw = vault.Raw();
        var client = vault.Client(maxRetries: 1);
        await vault.Server.StopAsync();

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => raw.GetAsync("sys/health"));
        var unavailable = await Assert.ThrowsAsync<VaultUnavailableException>(() => client.ReadSecretAsync("indexforge/api-key"));

        Assert.Equal(HttpRequestError.ConnectionError, e.HttpRequestError);
        Assert.Null(unavailable.StatusCode);
        Assert.False(vault.Server.IsRunning);
    }

    [Fact]
    public async Task StartWithoutAutoUnseal_ComesBackSealedLikeARestartedVault()
    {
        await using var vault = await VaultFixture.StartAsync(o => o with { AutoUnseal = false });
        Assert.True(vault.Server.IsSealed);
        await vault.Server.UnsealAsync();
        await WriteVersionsAsync(vault.RootClient(), 1);

        await vault.Server.StopAsync();
        await vault.Server.StartAsync();

        Assert.Equal(503, (await vault.RootClient().HealthAsync()).StatusCode);
        await vault.Server.UnsealAsync();
        await AssertVersionsAsync(vault.RootClient(), 1);
    }

    [Fact]
    public async Task NewProcessOverSameDirectory_WithTheKeys_KeepsVersionsTokensAndPolicies()
    {
        var directory = TempDirectory.Create();
        try
        {
            VaultInitResponse init;
            VaultToken limited;
            await using (var first = new EmbeddedVaultServer(new EmbeddedVaultServerOptions { StorageDirectory = directory }))
            {
                await first.StartAsync();
                init = first.Initialization!;
                limited = first.CreateToken(VaultPolicy.KvData("indexforge", "indexforge/", VaultCapabilities.Read));
                using var client = new VaultClient(new VaultClientOptions { Address = first.Address, CaCertificate = first.CaCertificate }, first.RootToken);
                await WriteVersionsAsync(client, 3);
            }

            await using var second = new EmbeddedVaultServer(new EmbeddedVaultServerOptions { StorageDirectory = directory, ExistingInitialization = init });
            await second.StartAsync();
            using var root = new VaultClient(new VaultClientOptions { Address = second.Address, CaCertificate = second.CaCertificate }, init.RootToken);
            using var service = new VaultClient(new VaultClientOptions { Address = second.Address, CaCertificate = second.CaCertificate }, limited);

            await AssertVersionsAsync(root, 3);
            Assert.Equal("value-3", (await service.ReadSecretAsync("indexforge/api-key")).GetString("api-key"));
            await Assert.ThrowsAsync<VaultForbiddenException>(() => service.WriteSecretAsync("indexforge/api-key", Data("x")));
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [Fact]
    public async Task NewProcessOverSameDirectory_WithoutTheKeys_StaysSealedUntilUnsealedOverHttp()
    {
        var directory = TempDirectory.Create();
        try
        {
            VaultInitResponse init;
            await using (var first = new EmbeddedVaultServer(new EmbeddedVaultServerOptions { StorageDirectory = directory }))
            {
                await first.StartAsync();
                init = first.Initialization!;
            }

            await using var second = new EmbeddedVaultServer(new EmbeddedVaultServerOptions { StorageDirectory = directory });
            await second.StartAsync();
            using var client = new VaultClient(new VaultClientOptions { Address = second.Address, CaCertificate = second.CaCertificate }, init.RootToken);

            Assert.True(second.IsSealed);
            Assert.Null(second.Initialization);
            await Assert.ThrowsAsync<VaultSealedException>(() => client.LookupSelfAsync());
            foreach (var key in init.Keys.Take(3)) await client.UnsealAsync(key);
            Assert.Equal(["root"], (await client.LookupSelfAsync()).Policies);
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [Theory]
    [InlineData(StorageWriteStep.TempPartiallyWritten, "/versions/")]
    [InlineData(StorageWriteStep.TempFlushed, "/versions/")]
    [InlineData(StorageWriteStep.Renamed, "/versions/")]
    [InlineData(StorageWriteStep.TempPartiallyWritten, "/metadata/")]
    [InlineData(StorageWriteStep.TempFlushed, "/metadata/")]
    [InlineData(StorageWriteStep.Renamed, "/metadata/")]
    public async Task CrashMidWrite_LosesNoAcknowledgedVersion(StorageWriteStep step, string target)
    {
        var directory = TempDirectory.Create();
        try
        {
            VaultInitResponse init;
            await using (var first = new EmbeddedVaultServer(new EmbeddedVaultServerOptions { StorageDirectory = directory }))
            {
                await first.StartAsync();
                init = first.Initialization!;
                using var client = new VaultClient(new VaultClientOptions { Address = first.Address, CaCertificate = first.CaCertificate, MaxRetries = 0 }, first.RootToken);
                await WriteVersionsAsync(client, 2);
                first.StorageFaultHook = (at, key) =>
                {
                    if (at == step && key.Contains(target, StringComparison.Ordinal)) throw new IOException("emulated crash");
                };

                // The process "dies" in the middle of this write: it is never acknowledged.
                var e = await Assert.ThrowsAsync<VaultUnavailableException>(() => client.WriteSecretAsync("indexforge/api-key", Data("value-3")));
                Assert.Equal(500, e.StatusCode);
            }

            await using var restarted = new EmbeddedVaultServer(new EmbeddedVaultServerOptions { StorageDirectory = directory, ExistingInitialization = init });
            await restarted.StartAsync();
            using var after = new VaultClient(new VaultClientOptions { Address = restarted.Address, CaCertificate = restarted.CaCertificate }, init.RootToken);

            await AssertVersionsAsync(after, 2);
            var current = (await after.ReadMetadataAsync("indexforge/api-key")).CurrentVersion;
            // The unacknowledged write may or may not have landed, but if it did it is whole.
            Assert.InRange(current, 2, 3);
            if (current == 3) Assert.Equal("value-3", (await after.ReadSecretAsync("indexforge/api-key")).GetString("api-key"));
            Assert.Empty(Directory.GetFiles(directory, "*.tmp-*", SearchOption.AllDirectories));
            Assert.Equal(current + 1, (await after.WriteSecretAsync("indexforge/api-key", Data("next"))).Version);
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [Fact]
    public async Task StorageDirectory_HoldsNoTokenKeyOrSecretValueInClear()
    {
        await using var vault = await VaultFixture.StartAsync();
        var limited = vault.Server.CreateToken(VaultPolicy.KvData("indexforge", "indexforge/", VaultCapabilities.Read));
        const string secretValue = "correct-horse-battery-staple-4711";
        await vault.RootClient().WriteSecretAsync("indexforge/api-key", Data(secretValue));
        var init = vault.Server.Initialization!;

        string[] needles = [vault.Server.RootToken.Reveal(), limited.Reveal(), secretValue, .. init.Keys, .. init.KeysBase64];
        Assert.Empty(FindInFiles(vault.Directory, needles));
        // Negative control: the scan does find a value that is on disk.
        File.WriteAllText(Path.Combine(vault.Directory, "planted"), "x" + secretValue + "x");
        Assert.Equal([secretValue], FindInFiles(vault.Directory, needles));
    }

    private static List<string> FindInFiles(string directory, IEnumerable<string> needles)
    {
        var found = new List<string>();
        var files = Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Select(File.ReadAllBytes).ToList();
        foreach (var needle in needles)
        {
            var forms = new[] { Encoding.UTF8.GetBytes(needle), Encoding.UTF8.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(needle))) };
            if (files.Any(f => forms.Any(form => f.AsSpan().IndexOf(form) >= 0))) found.Add(needle);
        }
        return found;
    }
}
