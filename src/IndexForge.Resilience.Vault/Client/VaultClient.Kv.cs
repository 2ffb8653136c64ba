using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IndexForge.Resilience.Vault.Client;

/// <summary>KV version 2 on the configured mount: /v1/:mount/{data,metadata,delete,undelete,destroy,config}/:path.</summary>
public sealed partial class VaultClient
{
    /// <summary>GET :mount/data/:path[?version=n]. Throws <see cref="VaultNotFoundException"/> for a missing, deleted or destroyed version.</summary>
    public async Task<KvSecret> ReadSecretAsync(string path, int? version = null, CancellationToken cancellationToken = default)
    {
        var apiPath = $"{_mount}/data/{Escape(path)}" + (version is { } v ? "?version=" + v.ToString(CultureInfo.InvariantCulture) : "");
        var result = await SendAsync(HttpMethod.Get, apiPath, null, idempotent: true, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess) throw Failure(HttpMethod.Get, apiPath, result);
        var data = result.Json()["data"] as JsonObject ?? throw new JsonException("no data in the answer");
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (data["data"] is JsonObject fields)
            foreach (var (name, value) in fields) values[name] = JsonSerializer.SerializeToElement(value);
        var metadata = data["metadata"] as JsonObject ?? throw new JsonException("no metadata in the answer");
        return new KvSecret(path, values, ParseVersionMetadata(metadata, null));
    }

    /// <summary>POST :mount/data/:path with <c>{"data": {...}, "options": {"cas": n}}</c>. A cas mismatch throws <see cref="VaultCasConflictException"/>.</summary>
    public Task<KvWriteResult> WriteSecretAsync(string path, IReadOnlyDictionary<string, string> data, int? cas = null, CancellationToken cancellationToken = default)
    {
        var fields = new JsonObject();
        foreach (var (name, value) in data) fields[name] = value;
        return WriteSecretAsync(path, fields, cas, cancellationToken);
    }

    public async Task<KvWriteResult> WriteSecretAsync(string path, JsonObject data, int? cas = null, CancellationToken cancellationToken = default)
    {
        var apiPath = $"{_mount}/data/{Escape(path)}";
        var body = new JsonObject { ["data"] = data.DeepClone() };
        if (cas is { } c) body["options"] = new JsonObject { ["cas"] = c };
        var result = await SendAsync(HttpMethod.Post, apiPath, body, idempotent: false, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess) throw Failure(HttpMethod.Post, apiPath, result, cas);
        var written = result.Json()["data"] as JsonObject ?? throw new JsonException("no data in the answer");
        var metadata = ParseVersionMetadata(written, null);
        return new KvWriteResult(metadata.Version, metadata.CreatedTime, metadata.DeletionTime, metadata.Destroyed, metadata.CustomMetadata);
    }

    /// <summary>GET :mount/metadata/:path.</summary>
    public async Task<KvMetadata> ReadMetadataAsync(string path, CancellationToken cancellationToken = default)
    {
        var apiPath = $"{_mount}/metadata/{Escape(path)}";
        var result = await SendAsync(HttpMethod.Get, apiPath, null, idempotent: true, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess) throw Failure(HttpMethod.Get, apiPath, result);
        var data = result.Json()["data"] as JsonObject ?? throw new JsonException("no data in the answer");
        var custom = ParseCustom(data["custom_metadata"]);
        var versions = new Dictionary<int, KvVersionMetadata>();
        if (data["versions"] is JsonObject list)
            foreach (var (number, entry) in list)
                if (entry is JsonObject e) versions[int.Parse(number, CultureInfo.InvariantCulture)] = ParseVersionMetadata(e, int.Parse(number, CultureInfo.InvariantCulture));
        return new KvMetadata(
            Int(data["current_version"]), Int(data["oldest_version"]), Int(data["max_versions"]),
            data["cas_required"]?.GetValue<bool>() ?? false,
            data["delete_version_after"]?.GetValue<string>() ?? "0s",
            Time(data["created_time"]) ?? default, Time(data["updated_time"]) ?? default,
            custom, versions);
    }

    /// <summary>POST :mount/metadata/:path (creates the key's metadata when missing; no new version).</summary>
    public async Task WriteMetadataAsync(string path, KvMetadataUpdate update, CancellationToken cancellationToken = default)
    {
        var apiPath = $"{_mount}/metadata/{Escape(path)}";
        var body = new JsonObject();
        if (update.MaxVersions is { } max) body["max_versions"] = max;
        if (update.CasRequired is { } cas) body["cas_required"] = cas;
        if (update.DeleteVersionAfter is { } after) body["delete_version_after"] = after;
        if (update.CustomMetadata is { } custom)
        {
            var map = new JsonObject();
            foreach (var (k, v) in custom) map[k] = v;
            body["custom_metadata"] = map;
        }
        await ExpectNoContentAsync(HttpMethod.Post, apiPath, body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>DELETE :mount/metadata/:path: every version and the metadata, permanently.</summary>
    public Task DeleteMetadataAsync(string path, CancellationToken cancellationToken = default) =>
        ExpectNoContentAsync(HttpMethod.Delete, $"{_mount}/metadata/{Escape(path)}", null, cancellationToken);

    /// <summary>LIST :mount/metadata/:folder. Keys ending in '/' are folders; an empty or missing folder gives an empty list.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string folder, CancellationToken cancellationToken = default)
    {
        var escaped = Escape(folder);
        var apiPath = $"{_mount}/metadata/{escaped}{(escaped.Length > 0 ? "/" : "")}";
        var result = await SendAsync(ListMethod, apiPath, null, idempotent: true, cancellationToken).ConfigureAwait(false);
        if (result.Status == 404 && result.Errors.Count == 0) return [];
        if (!result.IsSuccess) throw Failure(ListMethod, apiPath, result);
        return result.Json()["data"]?["keys"] is JsonArray keys ? keys.Select(k => k!.GetValue<string>()).ToList() : [];
    }

    /// <summary>DELETE :mount/data/:path: soft-deletes the latest version.</summary>
    public Task DeleteLatestVersionAsync(string path, CancellationToken cancellationToken = default) =>
        ExpectNoContentAsync(HttpMethod.Delete, $"{_mount}/data/{Escape(path)}", null, cancellationToken);

    /// <summary>POST :mount/delete/:path {"versions": [...]}: soft delete (undelete restores).</summary>
    public Task DeleteVersionsAsync(string path, IReadOnlyCollection<int> versions, CancellationToken cancellationToken = default) =>
        ExpectNoContentAsync(HttpMethod.Post, $"{_mount}/delete/{Escape(path)}", VersionsBody(versions), cancellationToken);

    /// <summary>POST :mount/undelete/:path {"versions": [...]}.</summary>
    public Task UndeleteVersionsAsync(string path, IReadOnlyCollection<int> versions, CancellationToken cancellationToken = default) =>
        ExpectNoContentAsync(HttpMethod.Post, $"{_mount}/undelete/{Escape(path)}", VersionsBody(versions), cancellationToken);

    /// <summary>POST :mount/destroy/:path {"versions": [...]}: the data are removed for good.</summary>
    public Task DestroyVersionsAsync(string path, IReadOnlyCollection<int> versions, CancellationToken cancellationToken = default) =>
        ExpectNoContentAsync(HttpMethod.Post, $"{_mount}/destroy/{Escape(path)}", VersionsBody(versions), cancellationToken);

    /// <summary>GET :mount/config.</summary>
    public async Task<KvConfig> ReadKvConfigAsync(CancellationToken cancellationToken = default)
    {
        var apiPath = $"{_mount}/config";
        var result = await SendAsync(HttpMethod.Get, apiPath, null, idempotent: true, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess) throw Failure(HttpMethod.Get, apiPath, result);
        var data = result.Json()["data"]!;
        return new KvConfig(Int(data["max_versions"]), data["cas_required"]?.GetValue<bool>() ?? false, data["delete_version_after"]?.GetValue<string>() ?? "0s");
    }

    /// <summary>POST :mount/config.</summary>
    public Task WriteKvConfigAsync(KvConfig config, CancellationToken cancellationToken = default) =>
        ExpectNoContentAsync(HttpMethod.Post, $"{_mount}/config", new JsonObject
        {
            ["max_versions"] = config.MaxVersions,
            ["cas_required"] = config.CasRequired,
            ["delete_version_after"] = config.DeleteVersionAfter,
        }, cancellationToken);

    private async Task ExpectNoContentAsync(HttpMethod method, string apiPath, JsonNode? body, CancellationToken cancellationToken)
    {
        var result = await SendAsync(method, apiPath, body, idempotent: true, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess) throw Failure(method, apiPath, result);
    }

    private static JsonObject VersionsBody(IReadOnlyCollection<int> versions)
    {
        if (versions.Count == 0) throw new ArgumentException("name at least one version", nameof(versions));
        return new JsonObject { ["versions"] = new JsonArray(versions.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()) };
    }

    private static KvVersionMetadata ParseVersionMetadata(JsonObject metadata, int? number) => new(
        number ?? Int(metadata["version"]),
        Time(metadata["created_time"]) ?? default,
        Time(metadata["deletion_time"]),
        metadata["destroyed"]?.GetValue<bool>() ?? false,
        ParseCustom(metadata["custom_metadata"]));

    private static IReadOnlyDictionary<string, string>? ParseCustom(JsonNode? node) =>
        node is JsonObject map ? map.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "", StringComparer.Ordinal) : null;

    private static int Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var l) ? checked((int)l) : 0;

    /// <summary>Vault's RFC3339Nano times; "" means unset.</summary>
    private static DateTimeOffset? Time(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0
            ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;
}
