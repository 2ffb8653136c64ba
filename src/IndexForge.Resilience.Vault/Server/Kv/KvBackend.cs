using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IndexForge.Resilience.Vault.Server.Http;
using IndexForge.Resilience.Vault.Server.Storage;

namespace IndexForge.Resilience.Vault.Server.Kv;

/// <summary>Which KV v2 endpoint a request addresses under the mount.</summary>
public enum KvEndpoint
{
    Config,
    Data,
    Metadata,
    Delete,
    Undelete,
    Destroy,
}

public sealed record KvRequest(KvEndpoint Endpoint, string Path, VaultOperation Operation, JsonObject? Body, long? Version);

/// <summary>
/// The KV version 2 secrets engine (Vault's vault-plugin-secrets-kv) on one mount, with its paths, JSON shapes,
/// status codes and error texts. A write stores the version entry first and the key metadata second, so a crash
/// in between leaves an unreferenced entry and never a metadata entry pointing at missing data.
/// </summary>
public sealed partial class KvBackend
{
    public const string MountType = "kv";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SecurityBarrier _barrier;
    private readonly TimeProvider _time;
    private readonly string _storagePrefix;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);

    public KvBackend(SecurityBarrier barrier, TimeProvider time, string mount)
    {
        _barrier = barrier;
        _time = time;
        Mount = mount.Trim('/');
        _storagePrefix = $"logical/{Mount}/";
    }

    /// <summary>The mount path without slashes, e.g. "secret".</summary>
    public string Mount { get; }

    /// <summary>Maps the path under the mount to an endpoint, or null for an unsupported path.</summary>
    public static (KvEndpoint Endpoint, string Path)? Route(string pathUnderMount)
    {
        if (pathUnderMount == "config") return (KvEndpoint.Config, "");
        var slash = pathUnderMount.IndexOf('/');
        var head = slash < 0 ? pathUnderMount : pathUnderMount[..slash];
        var rest = slash < 0 ? "" : pathUnderMount[(slash + 1)..];
        KvEndpoint? endpoint = head switch
        {
            "data" => KvEndpoint.Data,
            "metadata" => KvEndpoint.Metadata,
            "delete" => KvEndpoint.Delete,
            "undelete" => KvEndpoint.Undelete,
            "destroy" => KvEndpoint.Destroy,
            _ => null,
        };
        if (endpoint is null) return null;
        // Only metadata accepts a folder path (for LIST); the others name a secret.
        if (endpoint != KvEndpoint.Metadata && (rest.Length == 0 || rest.EndsWith('/'))) return null;
        return (endpoint.Value, rest);
    }

    /// <summary>Vault's existence check: a write to a missing secret is a create, to an existing one an update.</summary>
    public bool Exists(KvEndpoint endpoint, string path) => endpoint switch
    {
        KvEndpoint.Data or KvEndpoint.Metadata => path.Length > 0 && !path.EndsWith('/') && ReadKey(path) is not null,
        _ => true,
    };

    public VaultResponse Handle(KvRequest request)
    {
        try
        {
            return (request.Endpoint, request.Operation) switch
            {
                (KvEndpoint.Config, VaultOperation.Read) => ReadConfig(),
                (KvEndpoint.Config, VaultOperation.Update or VaultOperation.Create) => WriteConfig(request.Body),
                (KvEndpoint.Data, VaultOperation.Read) => ReadData(request.Path, request.Version),
                (KvEndpoint.Data, VaultOperation.Create or VaultOperation.Update) => WriteData(request.Path, request.Body),
                (KvEndpoint.Data, VaultOperation.Delete) => DeleteLatest(request.Path),
                (KvEndpoint.Metadata, VaultOperation.List) => List(request.Path),
                (KvEndpoint.Metadata, VaultOperation.Read) when request.Path.Length == 0 || request.Path.EndsWith('/') => VaultResponse.UnsupportedOperation,
                (KvEndpoint.Metadata, VaultOperation.Read) => ReadMetadata(request.Path),
                (KvEndpoint.Metadata, VaultOperation.Create or VaultOperation.Update) => WriteMetadata(request.Path, request.Body),
                (KvEndpoint.Metadata, VaultOperation.Delete) => DeleteMetadata(request.Path),
                (KvEndpoint.Delete, VaultOperation.Update or VaultOperation.Create) => ChangeVersions(request.Path, request.Body, SoftDelete, removesData: false),
                (KvEndpoint.Undelete, VaultOperation.Update or VaultOperation.Create) => ChangeVersions(request.Path, request.Body, Undelete, removesData: false),
                (KvEndpoint.Destroy, VaultOperation.Update or VaultOperation.Create) => ChangeVersions(request.Path, request.Body, Destroy, removesData: true),
                _ => VaultResponse.UnsupportedOperation,
            };
        }
        catch (ArgumentException e) when (e.Message.StartsWith("path cannot contain parent references", StringComparison.Ordinal))
        {
            return VaultResponse.Errors(400, "path cannot contain parent references");
        }
    }

    private VaultResponse ReadData(string path, long? requested)
    {
        KvKeyState? key;
        KvVersionData? data = null;
        long number;
        KvVersionState? version;
        _lock.EnterReadLock();
        try
        {
            key = ReadKey(path);
            if (key is null) return VaultResponse.NotFound;
            number = requested is > 0 ? requested.Value : key.CurrentVersion;
            if (!key.Versions.TryGetValue(number, out version)) return VaultResponse.NotFound;
            if (IsLive(version)) data = ReadVersion(path, number) ?? throw new InvalidDataException("could not find version data");
        }
        finally
        {
            _lock.ExitReadLock();
        }
        var body = new JsonObject
        {
            ["data"] = data is null ? null : JsonNode.Parse(data.Data),
            ["metadata"] = VersionJson(key, number, version, includeCustom: true),
        };
        // Deleted or destroyed versions answer 404 with their metadata, as Vault does.
        return VaultResponse.Logical(body, MountType, data is null ? 404 : 200);
    }

    private VaultResponse WriteData(string path, JsonObject? body)
    {
        if (body?["data"] is not JsonObject dataObject) return VaultResponse.Errors(400, "no data provided");
        long? cas = null;
        if (body["options"] is JsonObject options && options.TryGetPropertyValue("cas", out var casNode))
        {
            if (!TryReadLong(casNode, out var value)) return VaultResponse.Errors(400, "error parsing check-and-set parameter");
            cas = value;
        }
        var dataText = dataObject.ToJsonString();
        _lock.EnterWriteLock();
        try
        {
            var config = ReadConfigState();
            var key = ReadKey(path) ?? new KvKeyState { Key = path };
            if (cas is { } expected)
            {
                if (expected != key.CurrentVersion) return VaultResponse.Errors(400, KvConstants.CasMismatch);
            }
            else if (config.CasRequired || key.CasRequired)
            {
                return VaultResponse.Errors(400, KvConstants.CasRequired);
            }

            var now = _time.GetUtcNow();
            var number = key.CurrentVersion + 1;
            var deleteAfter = EffectiveDeleteAfter(config, key);
            var state = new KvVersionState { CreatedTime = now, DeletionTime = deleteAfter > TimeSpan.Zero ? now + deleteAfter : null };
            _barrier.Put(VersionStorageKey(path, number), JsonSerializer.SerializeToUtf8Bytes(new KvVersionData { Data = dataText, CreatedTime = now }, Json));

            key.CurrentVersion = number;
            key.Versions[number] = state;
            key.UpdatedTime = now;
            if (key.CreatedTime == default) key.CreatedTime = now;
            var removed = TrimVersions(key, config);
            WriteKey(key);
            foreach (var old in removed) _barrier.Delete(VersionStorageKey(path, old));
            return VaultResponse.Logical(VersionJson(key, number, state, includeCustom: true), MountType);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private VaultResponse DeleteLatest(string path)
    {
        _lock.EnterWriteLock();
        try
        {
            var key = ReadKey(path);
            if (key is null || !key.Versions.TryGetValue(key.CurrentVersion, out var latest) || latest.Destroyed || !IsLive(latest)) return VaultResponse.NoContent;
            latest.DeletionTime = _time.GetUtcNow();
            WriteKey(key);
            return VaultResponse.NoContent;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private VaultResponse ChangeVersions(string path, JsonObject? body, Func<string, KvVersionState, long, bool> change, bool removesData)
    {
        if (!TryReadVersions(body?["versions"], out var versions) || versions.Count == 0) return VaultResponse.Errors(400, "no version number provided");
        _lock.EnterWriteLock();
        try
        {
            var key = ReadKey(path);
            if (key is null) return VaultResponse.NoContent;
            var changed = false;
            foreach (var number in versions)
                if (key.Versions.TryGetValue(number, out var state)) changed |= change(path, state, number);
            if (changed) WriteKey(key);
            if (removesData)
                foreach (var number in versions)
                    if (key.Versions.TryGetValue(number, out var state) && state.Destroyed) _barrier.Delete(VersionStorageKey(path, number));
            return VaultResponse.NoContent;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private bool SoftDelete(string path, KvVersionState state, long number)
    {
        if (state.Destroyed || !IsLive(state)) return false;
        state.DeletionTime = _time.GetUtcNow();
        return true;
    }

    private bool Undelete(string path, KvVersionState state, long number)
    {
        if (state.Destroyed || state.DeletionTime is null) return false;
        state.DeletionTime = null;
        return true;
    }

    private bool Destroy(string path, KvVersionState state, long number)
    {
        if (state.Destroyed) return false;
        state.Destroyed = true;
        return true;
    }

    private bool IsLive(KvVersionState state) =>
        !state.Destroyed && (state.DeletionTime is not { } deleted || deleted > _time.GetUtcNow());

    private static List<long> TrimVersions(KvKeyState key, KvMountConfig config)
    {
        // Vault's AddVersion: keep the newest max_versions, move oldest_version past the rest.
        var max = key.MaxVersions != 0 ? key.MaxVersions : config.MaxVersions > 0 ? config.MaxVersions : KvConstants.DefaultMaxVersions;
        var removed = new List<long>();
        if (key.CurrentVersion - key.OldestVersion < max) return removed;
        var last = key.CurrentVersion - max;
        for (var v = key.OldestVersion; v <= last; v++)
            if (key.Versions.Remove(v)) removed.Add(v);
        key.OldestVersion = last + 1;
        return removed;
    }

    private static TimeSpan EffectiveDeleteAfter(KvMountConfig config, KvKeyState key)
    {
        if (key.DeleteVersionAfter > TimeSpan.Zero && (config.DeleteVersionAfter <= TimeSpan.Zero || key.DeleteVersionAfter < config.DeleteVersionAfter))
            return key.DeleteVersionAfter;
        return config.DeleteVersionAfter;
    }

    private JsonObject VersionJson(KvKeyState key, long number, KvVersionState state, bool includeCustom)
    {
        var json = new JsonObject
        {
            ["created_time"] = VaultTime.Format(state.CreatedTime),
            ["deletion_time"] = VaultTime.Format(state.DeletionTime),
            ["destroyed"] = state.Destroyed,
            ["version"] = number,
        };
        if (includeCustom) json["custom_metadata"] = CustomJson(key.CustomMetadata);
        return json;
    }

    private static JsonNode? CustomJson(Dictionary<string, string>? custom)
    {
        if (custom is null) return null;
        var json = new JsonObject();
        foreach (var (k, v) in custom.OrderBy(p => p.Key, StringComparer.Ordinal)) json[k] = v;
        return json;
    }

    internal KvKeyState? ReadKey(string path) =>
        _barrier.Get(_storagePrefix + "metadata/" + path) is { } bytes ? JsonSerializer.Deserialize<KvKeyState>(bytes, Json) : null;

    private void WriteKey(KvKeyState key) => _barrier.Put(_storagePrefix + "metadata/" + key.Key, JsonSerializer.SerializeToUtf8Bytes(key, Json));

    private KvVersionData? ReadVersion(string path, long number) =>
        _barrier.Get(VersionStorageKey(path, number)) is { } bytes ? JsonSerializer.Deserialize<KvVersionData>(bytes, Json) : null;

    private string VersionStorageKey(string path, long number)
    {
        // Hashing the path keeps versions of "a" and "a/b" apart, as Vault's salted version keys do.
        FileStorage.ValidateKey(path);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)));
        return $"{_storagePrefix}versions/{hash}/{number}";
    }

    private static bool TryReadLong(JsonNode? node, out long value)
    {
        value = 0;
        if (node is not JsonValue json) return false;
        if (json.TryGetValue<long>(out value)) return true;
        if (json.TryGetValue<double>(out var d) && d == Math.Floor(d)) { value = (long)d; return true; }
        return json.TryGetValue<string>(out var s) && long.TryParse(s, out value);
    }

    private static bool TryReadVersions(JsonNode? node, out List<long> versions)
    {
        versions = [];
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    if (!TryReadLong(item, out var v)) return false;
                    versions.Add(v);
                }
                return true;
            case JsonValue value when value.TryGetValue<string>(out var text):
                foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (!long.TryParse(part, out var v)) return false;
                    versions.Add(v);
                }
                return true;
            case JsonValue value when TryReadLong(value, out var single):
                versions.Add(single);
                return true;
            default:
                return false;
        }
    }
}
