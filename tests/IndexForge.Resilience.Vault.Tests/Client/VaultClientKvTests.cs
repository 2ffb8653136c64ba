using IndexForge.Resilience.Vault.Client;
using IndexForge.Resilience.Vault.Tests.Support;
using Xunit;

namespace IndexForge.Resilience.Vault.Tests.Client;

public sealed class VaultClientKvTests : IAsyncLifetime
{
    private VaultFixture _vault = null!;
    private VaultClient _client = null!;

    public async Task InitializeAsync()
    {
        _vault = await VaultFixture.StartAsync();
        _client = _vault.RootClient();
    }

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    private static Dictionary<string, string> Data(string value) => new() { ["api-key"] = value };

    [Fact]
    public async Task WriteSecretAsync_ThenRead_ReturnsDataAndVersion()
    {
        var written = await _client.WriteSecretAsync("indexforge/api-key", Data("v1-value"));
        var read = await _client.ReadSecretAsync("indexforge/api-key");

        Assert.Equal(1, written.Version);
        Assert.Equal(1, read.Version);
        Assert.Equal("v1-value", read.GetString("api-key"));
        Assert.Null(read.Metadata.DeletionTime);
        Assert.False(read.Metadata.Destroyed);
        Assert.InRange(DateTimeOffset.UtcNow - read.Metadata.CreatedTime, TimeSpan.Zero, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task ReadSecretAsync_OlderVersion_ReturnsThatVersion()
    {
        await _client.WriteSecretAsync("indexforge/api-key", Data("one"));
        await _client.WriteSecretAsync("indexforge/api-key", Data("two"));

        var latest = await _client.ReadSecretAsync("indexforge/api-key");
        var first = await _client.ReadSecretAsync("indexforge/api-key", version: 1);

        Assert.Equal((2, "two"), (latest.Version, latest.GetString("api-key")));
        Assert.Equal((1, "one"), (first.Version, first.GetString("api-key")));
    }

    [Fact]
    public async Task ReadSecretAsync_MissingPath_ThrowsNotFound()
    {
        var e = await Assert.ThrowsAsync<VaultNotFoundException>(() => _client.ReadSecretAsync("indexforge/missing"));
        Assert.Equal(404, e.StatusCode);
        Assert.Null(e.Version);
        Assert.Equal("secret/data/indexforge/missing", e.Path);
    }

    [Fact]
    public async Task WriteSecretAsync_CasMatchesCurrentVersion_Writes()
    {
        await _client.WriteSecretAsync("indexforge/api-key", Data("one"), cas: 0);
        var second = await _client.WriteSecretAsync("indexforge/api-key", Data("two"), cas: 1);
        Assert.Equal(2, second.Version);
    }

    [Fact]
    public async Task WriteSecretAsync_CasMismatch_ThrowsCasConflictWithoutRetry()
    {
        var recording = new RecordingHandler(_vault.TrustingHandler());
        var client = _vault.Client(handler: recording, maxRetries: 3);
        await client.WriteSecretAsync("indexforge/api-key", Data("one"));
        var before = recording.Count;

        var e = await Assert.ThrowsAsync<VaultCasConflictException>(() => client.WriteSecretAsync("indexforge/api-key", Data("two"), cas: 0));

        Assert.Equal(1, recording.Count - before);
        Assert.Equal(0, e.ExpectedVersion);
        Assert.Contains("check-and-set parameter did not match the current version", e.Errors);
        Assert.Equal(1, (await client.ReadSecretAsync("indexforge/api-key")).Version);
    }

    [Fact]
    public async Task WriteSecretAsync_CasRequiredAndMissing_ThrowsCasConflict()
    {
        await _client.WriteMetadataAsync("indexforge/api-key", new KvMetadataUpdate { CasRequired = true });

        var e = await Assert.ThrowsAsync<VaultCasConflictException>(() => _client.WriteSecretAsync("indexforge/api-key", Data("one")));
        Assert.Null(e.ExpectedVersion);
        Assert.Contains("check-and-set parameter required for this call", e.Errors);
        Assert.Equal(1, (await _client.WriteSecretAsync("indexforge/api-key", Data("one"), cas: 0)).Version);
    }

    [Fact]
    public async Task WriteSecretAsync_MountCasRequired_AppliesToEveryKey()
    {
        await _client.WriteKvConfigAsync(new KvConfig(0, true, "0s"));
        var config = await _client.ReadKvConfigAsync();

        Assert.True(config.CasRequired);
        await Assert.ThrowsAsync<VaultCasConflictException>(() => _client.WriteSecretAsync("other/key", Data("x")));
    }

    [Fact]
    public async Task WriteSecretAsync_BeyondMaxVersions_DropsOldestVersions()
    {
        await _client.WriteMetadataAsync("indexforge/api-key", new KvMetadataUpdate { MaxVersions = 3 });
        for (var i = 1; i <= 5; i++) await _client.WriteSecretAsync("indexforge/api-key", Data($"value-{i}"));

        var metadata = await _client.ReadMetadataAsync("indexforge/api-key");

        Assert.Equal(5, metadata.CurrentVersion);
        Assert.Equal(3, metadata.OldestVersion);
        Assert.Equal(3, metadata.MaxVersions);
        Assert.Equal([3, 4, 5], metadata.Versions.Keys.Order());
        await Assert.ThrowsAsync<VaultNotFoundException>(() => _client.ReadSecretAsync("indexforge/api-key", version: 2));
        Assert.Equal("value-3", (await _client.ReadSecretAsync("indexforge/api-key", version: 3)).GetString("api-key"));
    }

    [Fact]
    public async Task WriteSecretAsync_DefaultMaxVersions_KeepsTen()
    {
        for (var i = 1; i <= 12; i++) await _client.WriteSecretAsync("indexforge/api-key", Data($"value-{i}"));
        var metadata = await _client.ReadMetadataAsync("indexforge/api-key");
        Assert.Equal(Enumerable.Range(3, 10), metadata.Versions.Keys.Order());
    }

    [Fact]
    public async Task WriteMetadataAsync_CustomMetadata_ReturnedWithMetadataAndData()
    {
        await _client.WriteSecretAsync("indexforge/api-key", Data("one"));
        await _client.WriteMetadataAsync("indexforge/api-key", new KvMetadataUpdate
        {
            CustomMetadata = new Dictionary<string, string> { ["rotation_date"] = "2026-01-01T00:00:00Z", ["owner"] = "search" },
        });

        var metadata = await _client.ReadMetadataAsync("indexforge/api-key");
        var secret = await _client.ReadSecretAsync("indexforge/api-key");

        Assert.Equal("2026-01-01T00:00:00Z", metadata.CustomMetadata!["rotation_date"]);
        Assert.Equal("search", secret.Metadata.CustomMetadata!["owner"]);
        Assert.Equal(1, metadata.CurrentVersion);
    }

    [Fact]
    public async Task WriteMetadataAsync_TooLongCustomValue_IsRefused()
    {
        var e = await Assert.ThrowsAsync<VaultRequestException>(() => _client.WriteMetadataAsync("indexforge/api-key", new KvMetadataUpdate
        {
            CustomMetadata = new Dictionary<string, string> { ["k"] = new string('x', 513) },
        }));
        Assert.Equal(400, e.StatusCode);
        Assert.Contains(e.Errors, m => m.StartsWith("custom_metadata validation failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListAsync_FolderWithSecretsAndSubfolders_ListsBoth()
    {
        await _client.WriteSecretAsync("indexforge/api-key", Data("a"));
        await _client.WriteSecretAsync("indexforge/db/password", Data("b"));
        await _client.WriteSecretAsync("other", Data("c"));

        Assert.Equal(["api-key", "db/"], await _client.ListAsync("indexforge"));
        Assert.Equal(["indexforge/", "other"], await _client.ListAsync(""));
        Assert.Empty(await _client.ListAsync("nothing-here"));
    }

    [Fact]
    public async Task DeleteVersionsAsync_ThenRead_ThrowsNotFoundWithDeletionTime()
    {
        await _client.WriteSecretAsync("indexforge/api-key", Data("one"));
        await _client.WriteSecretAsync("indexforge/api-key", Data("two"));

        await _client.DeleteVersionsAsync("indexforge/api-key", [1]);

        var e = await Assert.ThrowsAsync<VaultNotFoundException>(() => _client.ReadSecretAsync("indexforge/api-key", version: 1));
        Assert.Equal(1, e.Version!.Version);
        Assert.NotNull(e.Version.DeletionTime);
        Assert.False(e.Version.Destroyed);
        Assert.Equal("two", (await _client.ReadSecretAsync("indexforge/api-key")).GetString("api-key"));
    }

    [Fact]
    public async Task UndeleteVersionsAsync_AfterSoftDelete_RestoresData()
    {
        await _client.WriteSecretAsync("indexforge/api-key", Data("one"));
        await _client.DeleteLatestVersionAsync("indexforge/api-key");
        await Assert.ThrowsAsync<VaultNotFoundException>(() => _client.ReadSecretAsync("indexforge/api-key"));

        await _client.UndeleteVersionsAsync("indexforge/api-key", [1]);

        Assert.Equal("one", (await _client.ReadSecretAsync("indexforge/api-key")).GetString("api-key"));
    }

    [Fact]
    public async Task DestroyVersionsAsync_ThenUndelete_StaysDestroyed()
    {
        await _client.WriteSecretAsync("indexforge/api-key", Data("one"));
        await _client.WriteSecretAsync("indexforge/api-key", Data("two"));

        await _client.DestroyVersionsAsync("indexforge/api-key", [1]);
        await _client.UndeleteVersionsAsync("indexforge/api-key", [1]);

        var e = await Assert.ThrowsAsync<VaultNotFoundException>(() => _client.ReadSecretAsync("indexforge/api-key", version: 1));
        Assert.True(e.Version!.Destroyed);
        Assert.True((await _client.ReadMetadataAsync("indexforge/api-key")).Versions[1].Destroyed);
        Assert.Contains("destroyed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteMetadataAsync_RemovesEveryVersion()
    {
        await _client.WriteSecretAsync("indexforge/api-key", Data("one"));
        await _client.WriteSecretAsync("indexforge/api-key", Data("two"));

        await _client.DeleteMetadataAsync("indexforge/api-key");

        await Assert.ThrowsAsync<VaultNotFoundException>(() => _client.ReadMetadataAsync("indexforge/api-key"));
        await Assert.ThrowsAsync<VaultNotFoundException>(() => _client.ReadSecretAsync("indexforge/api-key", version: 1));
        Assert.Empty(await _client.ListAsync("indexforge"));
        Assert.Equal(1, (await _client.WriteSecretAsync("indexforge/api-key", Data("again"))).Version);
    }

    [Fact]
    public async Task KvSecret_ToString_NamesFieldsNotValues()
    {
        await _client.WriteSecretAsync("indexforge/api-key", Data("super-secret-value"));
        var secret = await _client.ReadSecretAsync("indexforge/api-key");

        Assert.DoesNotContain("super-secret-value", secret.ToString(), StringComparison.Ordinal);
        Assert.Contains("api-key", secret.ToString(), StringComparison.Ordinal);
    }
}
