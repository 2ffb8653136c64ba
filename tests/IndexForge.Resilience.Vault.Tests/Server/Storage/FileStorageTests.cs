using IndexForge.Resilience.Vault.Server.Storage;
using IndexForge.Resilience.Vault.Tests.Support;
using Xunit;

namespace IndexForge.Resilience.Vault.Tests.Server.Storage;

public sealed class FileStorageTests : IDisposable
{
    private readonly string _directory = TempDirectory.Create();

    public void Dispose() => TempDirectory.Delete(_directory);

    [Fact]
    public void Put_ThenGet_RoundTripsInVaultFileLayout()
    {
        var storage = new FileStorage(_directory);
        storage.Put("logical/secret/metadata/indexforge/api-key", [1, 2, 3]);

        Assert.Equal([1, 2, 3], storage.Get("logical/secret/metadata/indexforge/api-key"));
        var file = Path.Combine(_directory, "logical", "secret", "metadata", "indexforge", "_api-key");
        Assert.True(File.Exists(file));
        Assert.Equal("""{"Key":"logical/secret/metadata/indexforge/api-key","Value":"AQID"}""", File.ReadAllText(file));
    }

    [Fact]
    public void List_EntriesAndFolders_NamesThemLikeVault()
    {
        var storage = new FileStorage(_directory);
        storage.Put("a/b", [1]);
        storage.Put("a/c/d", [1]);
        storage.Put("a/c", [1]);

        Assert.Equal(["b", "c", "c/"], storage.List("a/"));
        Assert.Equal(["a/"], storage.List(""));
        Assert.Equal(["a/b", "a/c", "a/c/d"], storage.ListRecursive("").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Delete_LastEntry_RemovesEmptyFolders()
    {
        var storage = new FileStorage(_directory);
        storage.Put("a/b/c", [1]);
        storage.Delete("a/b/c");
        Assert.Null(storage.Get("a/b/c"));
        Assert.Empty(storage.List(""));
        storage.Delete("never/there");
    }

    [Theory]
    [InlineData("a/../b")]
    [InlineData("../b")]
    [InlineData("a//b")]
    [InlineData("")]
    public void Put_InvalidKey_IsRefused(string key)
    {
        var storage = new FileStorage(_directory);
        Assert.Throws<ArgumentException>(() => storage.Put(key, [1]));
    }

    [Theory]
    [InlineData(StorageWriteStep.TempPartiallyWritten)]
    [InlineData(StorageWriteStep.TempFlushed)]
    public void Put_CrashBeforeRename_KeepsPreviousValueAndReopenRemovesTornFile(StorageWriteStep step)
    {
        var storage = new FileStorage(_directory);
        storage.Put("k", [1]);
        storage.FaultHook = (at, _) => { if (at == step) throw new IOException("crash"); };

        Assert.Throws<IOException>(() => storage.Put("k", [2, 2, 2, 2, 2, 2, 2, 2]));
        Assert.NotEmpty(Directory.GetFiles(_directory, "*.tmp-*"));

        var reopened = new FileStorage(_directory);
        Assert.Equal([1], reopened.Get("k"));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp-*"));
        Assert.Equal(["k"], reopened.List(""));
    }

    [Fact]
    public void Put_CrashAfterRename_NewValueIsComplete()
    {
        var storage = new FileStorage(_directory);
        storage.Put("k", [1]);
        storage.FaultHook = (at, _) => { if (at == StorageWriteStep.Renamed) throw new IOException("crash"); };

        Assert.Throws<IOException>(() => storage.Put("k", [2, 2]));

        Assert.Equal([2, 2], new FileStorage(_directory).Get("k"));
    }
}
