using System.Runtime.InteropServices;
using System.Text.Json;

namespace IndexForge.Resilience.Vault.Server.Storage;

/// <summary>Where a write stands; a fault hook throwing at a step emulates a crash right there.</summary>
public enum StorageWriteStep
{
    /// <summary>Half of the temporary file is written, nothing is flushed.</summary>
    TempPartiallyWritten,
    /// <summary>The temporary file is complete and flushed to disk, not yet renamed over the entry.</summary>
    TempFlushed,
    /// <summary>The entry has been renamed into place; the directory is not yet flushed.</summary>
    Renamed,
}

/// <summary>
/// Vault's <c>storage "file"</c> layout: one file per entry at <c>&lt;dir&gt;/&lt;key dirs&gt;/_&lt;name&gt;</c> holding
/// <c>{"Key": ..., "Value": base64}</c>. A put writes a temporary file, flushes it to disk and renames it over the
/// entry before returning, so an acknowledged write survives a crash and a crash mid-write leaves the previous
/// entry intact (a torn temporary file is ignored and removed on open).
/// </summary>
public sealed class FileStorage
{
    private const string EntryPrefix = "_";
    private const string TempMarker = ".tmp-";

    public FileStorage(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Root = Path.GetFullPath(directory);
        Directory.CreateDirectory(Root);
        RemoveTornTemporaries();
    }

    public string Root { get; }

    /// <summary>Test hook: called at each step of a put; throwing emulates a crash at that step.</summary>
    internal Action<StorageWriteStep, string>? FaultHook { get; set; }

    public byte[]? Get(string key)
    {
        var path = EntryPath(key);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        var entry = JsonSerializer.Deserialize(text, StorageJsonContext.Default.FileEntry)
            ?? throw new InvalidDataException($"storage entry {key} is empty");
        if (entry.Key != key) throw new InvalidDataException($"storage entry {key} names another key");
        return Convert.FromBase64String(entry.Value);
    }

    public void Put(string key, ReadOnlySpan<byte> value)
    {
        var path = EntryPath(key);
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new FileEntry(key, Convert.ToBase64String(value)), StorageJsonContext.Default.FileEntry);
        var temp = path + TempMarker + Guid.NewGuid().ToString("N");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var half = bytes.Length / 2;
                stream.Write(bytes, 0, half);
                stream.Flush(flushToDisk: false);
                FaultHook?.Invoke(StorageWriteStep.TempPartiallyWritten, key);
                stream.Write(bytes, half, bytes.Length - half);
                stream.Flush(flushToDisk: true);
            }
            FaultHook?.Invoke(StorageWriteStep.TempFlushed, key);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            // A real crash leaves the temporary file behind, and so does an emulated one (a hook is set);
            // an ordinary I/O error cleans up. Either way the caller sees an unacknowledged write.
            if (FaultHook is null) TryDelete(temp);
            throw;
        }
        FaultHook?.Invoke(StorageWriteStep.Renamed, key);
        FlushDirectory(directory);
    }

    public void Delete(string key)
    {
        var path = EntryPath(key);
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }
        var directory = Path.GetDirectoryName(path)!;
        FlushDirectory(directory);
        RemoveEmptyParents(directory);
    }

    /// <summary>Names under <paramref name="prefix"/> (a directory key ending in '/' or empty): entries as "name", sub-directories as "name/".</summary>
    public IReadOnlyList<string> List(string prefix)
    {
        if (prefix.Length > 0 && !prefix.EndsWith('/')) throw new ArgumentException("a list prefix ends with '/'", nameof(prefix));
        var directory = prefix.Length == 0 ? Root : DirectoryPath(prefix.TrimEnd('/'));
        if (!Directory.Exists(directory)) return [];
        var names = new List<string>();
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo) names.Add(entry.Name + "/");
            else if (entry.Name.StartsWith(EntryPrefix, StringComparison.Ordinal) && !entry.Name.Contains(TempMarker, StringComparison.Ordinal))
                names.Add(entry.Name[EntryPrefix.Length..]);
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>Every entry key under <paramref name="prefix"/>, recursively.</summary>
    public IEnumerable<string> ListRecursive(string prefix)
    {
        foreach (var name in List(prefix))
        {
            if (name.EndsWith('/'))
                foreach (var child in ListRecursive(prefix + name)) yield return child;
            else
                yield return prefix + name;
        }
    }

    public static void ValidateKey(string key)
    {
        if (!IsValidKey(key, out var error)) throw new ArgumentException(error, nameof(key));
    }

    public static bool IsValidKey(string key, out string error)
    {
        error = "";
        if (string.IsNullOrEmpty(key)) error = "path cannot be empty";
        else if (key.Split('/').Any(s => s is "." or "..")) error = "path cannot contain parent references";
        else if (key.Split('/').Any(s => s.Length == 0)) error = "path cannot contain empty segments";
        else if (key.Contains('\0')) error = "path cannot contain NUL";
        return error.Length == 0;
    }

    private string EntryPath(string key)
    {
        ValidateKey(key);
        var slash = key.LastIndexOf('/');
        var directory = slash < 0 ? Root : DirectoryPath(key[..slash]);
        return Path.Combine(directory, EntryPrefix + key[(slash + 1)..]);
    }

    private string DirectoryPath(string directoryKey)
    {
        ValidateKey(directoryKey);
        return Path.Combine([Root, .. directoryKey.Split('/')]);
    }

    private void RemoveTornTemporaries()
    {
        foreach (var file in Directory.EnumerateFiles(Root, "*" + TempMarker + "*", SearchOption.AllDirectories)) TryDelete(file);
    }

    private void RemoveEmptyParents(string directory)
    {
        var current = new DirectoryInfo(directory);
        while (current is not null && current.FullName.Length > Root.Length && current.Exists && !current.EnumerateFileSystemInfos().Any())
        {
            current.Delete();
            current = current.Parent;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>fsync on the directory makes the rename itself durable (POSIX); a no-op where unsupported.</summary>
    private static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = Posix.open(directory, Posix.O_RDONLY);
        if (fd < 0) return;
        try
        {
            Posix.fsync(fd);
        }
        finally
        {
            Posix.close(fd);
        }
    }

    private static class Posix
    {
        public const int O_RDONLY = 0;
#pragma warning disable SYSLIB1054 // plain DllImport keeps the project free of unsafe code
        [DllImport("libc", SetLastError = true)] public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
        [DllImport("libc", SetLastError = true)] public static extern int fsync(int fd);
        [DllImport("libc", SetLastError = true)] public static extern int close(int fd);
#pragma warning restore SYSLIB1054
    }
}

internal sealed record FileEntry(string Key, string Value);

[System.Text.Json.Serialization.JsonSerializable(typeof(FileEntry))]
internal sealed partial class StorageJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
