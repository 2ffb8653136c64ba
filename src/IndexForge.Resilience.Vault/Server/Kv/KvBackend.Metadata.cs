using System.Text.Json;
using System.Text.Json.Nodes;
using IndexForge.Resilience.Vault.Server.Http;

namespace IndexForge.Resilience.Vault.Server.Kv;

/// <summary>The metadata, list and config endpoints of the KV v2 engine.</summary>
public sealed partial class KvBackend
{
    private VaultResponse ReadMetadata(string path)
    {
        KvKeyState? key;
        _lock.EnterReadLock();
        try
        {
            key = ReadKey(path);
        }
        finally
        {
            _lock.ExitReadLock();
        }
        if (key is null) return VaultResponse.NotFound;
        var versions = new JsonObject();
        foreach (var (number, state) in key.Versions.OrderBy(p => p.Key))
        {
            versions[number.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["created_time"] = VaultTime.Format(state.CreatedTime),
                ["deletion_time"] = VaultTime.Format(state.DeletionTime),
                ["destroyed"] = state.Destroyed,
            };
        }
        return VaultResponse.Logical(new JsonObject
        {
            ["cas_required"] = key.CasRequired,
            ["created_time"] = VaultTime.Format(key.CreatedTime),
            ["current_version"] = key.CurrentVersion,
            ["custom_metadata"] = CustomJson(key.CustomMetadata),
            ["delete_version_after"] = GoDuration.Format(key.DeleteVersionAfter),
            ["max_versions"] = key.MaxVersions,
            ["oldest_version"] = key.OldestVersion,
            ["updated_time"] = VaultTime.Format(key.UpdatedTime),
            ["versions"] = versions,
        }, MountType);
    }

    private VaultResponse WriteMetadata(string path, JsonObject? body)
    {
        body ??= [];
        int? maxVersions = null;
        bool? casRequired = null;
        TimeSpan? deleteAfter = null;
        Dictionary<string, string>? custom = null;
        var errors = new List<string>();
        if (body.TryGetPropertyValue("max_versions", out var maxNode))
        {
            if (TryReadLong(maxNode, out var max) && max is >= 0 and <= int.MaxValue) maxVersions = (int)max;
            else errors.Add("max_versions must be a non-negative integer");
        }
        if (body.TryGetPropertyValue("cas_required", out var casNode))
        {
            if (casNode is JsonValue v && v.TryGetValue<bool>(out var b)) casRequired = b;
            else if (casNode is JsonValue s && s.TryGetValue<string>(out var text) && bool.TryParse(text, out var parsed)) casRequired = parsed;
            else errors.Add("cas_required must be a boolean");
        }
        if (body.TryGetPropertyValue("delete_version_after", out var deleteNode))
        {
            if (deleteNode is JsonValue d && d.TryGetValue<string>(out var text) && GoDuration.TryParse(text, out var parsed) && parsed >= TimeSpan.Zero) deleteAfter = parsed;
            else if (deleteNode is JsonValue n && TryReadLong(n, out var seconds) && seconds >= 0) deleteAfter = TimeSpan.FromSeconds(seconds);
            else errors.Add("delete_version_after must be a duration, e.g. \"3h25m19s\"");
        }
        if (body.TryGetPropertyValue("custom_metadata", out var customNode))
        {
            if (customNode is JsonObject obj) custom = ReadCustomMetadata(obj, errors);
            else if (customNode is not null) errors.Add("custom_metadata must be a map of strings");
            else custom = [];
        }
        if (errors.Count > 0) return VaultResponse.Errors(400, errors.ToArray());

        _lock.EnterWriteLock();
        try
        {
            var now = _time.GetUtcNow();
            var key = ReadKey(path) ?? new KvKeyState { Key = path, CreatedTime = now, UpdatedTime = now };
            if (maxVersions is { } m) key.MaxVersions = m;
            if (casRequired is { } c) key.CasRequired = c;
            if (deleteAfter is { } d) key.DeleteVersionAfter = d;
            if (custom is not null) key.CustomMetadata = custom.Count == 0 ? null : custom;
            key.UpdatedTime = now;
            WriteKey(key);
            return VaultResponse.NoContent;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private static Dictionary<string, string> ReadCustomMetadata(JsonObject obj, List<string> errors)
    {
        var custom = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj.Count > KvConstants.MaxCustomMetadataKeys)
            errors.Add($"custom_metadata validation failed: payload must contain at most {KvConstants.MaxCustomMetadataKeys} keys, provided {obj.Count}");
        foreach (var (k, v) in obj)
        {
            if (v is not JsonValue value || !value.TryGetValue<string>(out var text))
            {
                errors.Add($"custom_metadata validation failed: value for key \"{k}\" is not a string");
                continue;
            }
            if (k.Length == 0 || k.Length > KvConstants.MaxCustomMetadataKeyLength)
                errors.Add($"custom_metadata validation failed: length of key \"{k}\" is {k.Length} but must be 0 < len(key) <= {KvConstants.MaxCustomMetadataKeyLength}");
            if (text.Length > KvConstants.MaxCustomMetadataValueLength)
                errors.Add($"custom_metadata validation failed: length of value for key \"{k}\" is {text.Length} but must be <= {KvConstants.MaxCustomMetadataValueLength}");
            custom[k] = text;
        }
        return custom;
    }

    private VaultResponse DeleteMetadata(string path)
    {
        _lock.EnterWriteLock();
        try
        {
            var key = ReadKey(path);
            if (key is null) return VaultResponse.NoContent;
            // Data first: a crash in between leaves metadata whose versions read as missing, never orphaned secrets.
            foreach (var number in key.Versions.Keys) _barrier.Delete(VersionStorageKey(path, number));
            _barrier.Delete(_storagePrefix + "metadata/" + path);
            return VaultResponse.NoContent;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private VaultResponse List(string path)
    {
        var prefix = path.Length == 0 || path.EndsWith('/') ? path : path + "/";
        if (prefix.Length > 0) Storage.FileStorage.ValidateKey(prefix.TrimEnd('/'));
        IReadOnlyList<string> keys;
        _lock.EnterReadLock();
        try
        {
            keys = _barrier.List(_storagePrefix + "metadata/" + prefix);
        }
        finally
        {
            _lock.ExitReadLock();
        }
        if (keys.Count == 0) return VaultResponse.NotFound;
        return VaultResponse.Logical(new JsonObject { ["keys"] = new JsonArray(keys.Select(k => (JsonNode?)JsonValue.Create(k)).ToArray()) }, MountType);
    }

    private VaultResponse ReadConfig()
    {
        var config = ReadConfigState();
        return VaultResponse.Logical(new JsonObject
        {
            ["cas_required"] = config.CasRequired,
            ["delete_version_after"] = GoDuration.Format(config.DeleteVersionAfter),
            ["max_versions"] = config.MaxVersions,
        }, MountType);
    }

    private VaultResponse WriteConfig(JsonObject? body)
    {
        body ??= [];
        var errors = new List<string>();
        _lock.EnterWriteLock();
        try
        {
            var config = ReadConfigState();
            if (body.TryGetPropertyValue("max_versions", out var maxNode))
            {
                if (TryReadLong(maxNode, out var max) && max is >= 0 and <= int.MaxValue) config.MaxVersions = (int)max;
                else errors.Add("max_versions must be a non-negative integer");
            }
            if (body.TryGetPropertyValue("cas_required", out var casNode))
            {
                if (casNode is JsonValue v && v.TryGetValue<bool>(out var b)) config.CasRequired = b;
                else errors.Add("cas_required must be a boolean");
            }
            if (body.TryGetPropertyValue("delete_version_after", out var deleteNode))
            {
                if (deleteNode is JsonValue d && d.TryGetValue<string>(out var text) && GoDuration.TryParse(text, out var parsed) && parsed >= TimeSpan.Zero) config.DeleteVersionAfter = parsed;
                else errors.Add("delete_version_after must be a duration, e.g. \"3h25m19s\"");
            }
            if (errors.Count > 0) return VaultResponse.Errors(400, errors.ToArray());
            _barrier.Put(_storagePrefix + "config", JsonSerializer.SerializeToUtf8Bytes(config, Json));
            return VaultResponse.NoContent;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private KvMountConfig ReadConfigState() =>
        _barrier.Get(_storagePrefix + "config") is { } bytes ? JsonSerializer.Deserialize<KvMountConfig>(bytes, Json) ?? new() : new();
}
