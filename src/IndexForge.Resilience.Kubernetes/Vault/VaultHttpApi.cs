using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IndexForge.Resilience.Kubernetes.Vault;

/// <summary><see cref="IVaultApi"/> over plain HTTP calls; the HttpClient's BaseAddress is Vault (e.g. a port-forward).</summary>
public sealed class VaultHttpApi(HttpClient http) : IVaultApi
{
    public async Task<VaultSealStatus> SealStatusAsync(CancellationToken ct) =>
        ReadSealStatus(await SendAsync(HttpMethod.Get, "v1/sys/seal-status", null, null, ct).ConfigureAwait(false));

    public async Task<VaultInitResult> InitAsync(int shares, int threshold, CancellationToken ct)
    {
        var r = await SendAsync(HttpMethod.Put, "v1/sys/init", null, new JsonObject { ["secret_shares"] = shares, ["secret_threshold"] = threshold }, ct).ConfigureAwait(false);
        var keys = r["keys"]!.AsArray().Select(k => k!.GetValue<string>()).ToList();
        return new VaultInitResult(keys, r["root_token"]!.GetValue<string>());
    }

    public async Task<VaultSealStatus> UnsealAsync(string key, CancellationToken ct) =>
        ReadSealStatus(await SendAsync(HttpMethod.Put, "v1/sys/unseal", null, new JsonObject { ["key"] = key }, ct).ConfigureAwait(false));

    public Task SealAsync(string token, CancellationToken ct) => SendAsync(HttpMethod.Put, "v1/sys/seal", token, null, ct);

    public async Task EnableKv2Async(string token, string mount, CancellationToken ct)
    {
        try
        {
            await SendAsync(HttpMethod.Post, $"v1/sys/mounts/{mount}", token,
                new JsonObject { ["type"] = "kv", ["options"] = new JsonObject { ["version"] = "2" } }, ct).ConfigureAwait(false);
        }
        catch (VaultApiException e) when (e.StatusCode == 400 && e.Message.Contains("path is already in use", StringComparison.Ordinal))
        {
            // Re-running the bootstrap on a Vault that kept its file storage is fine.
        }
    }

    public Task DeleteMetadataAsync(string token, VaultKvPath path, CancellationToken ct) =>
        SendAsync(HttpMethod.Delete, $"v1/{path.MetadataPath}", token, null, ct);

    public Task DeletePolicyAsync(string token, string name, CancellationToken ct) =>
        SendAsync(HttpMethod.Delete, $"v1/sys/policies/acl/{name}", token, null, ct);

    public Task WritePolicyAsync(string token, string name, string hcl, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, $"v1/sys/policies/acl/{name}", token, new JsonObject { ["policy"] = hcl }, ct);

    public async Task<string> CreateTokenAsync(string token, IReadOnlyList<string> policies, TimeSpan ttl, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["policies"] = new JsonArray(policies.Select(p => (JsonNode)p).ToArray()),
            ["ttl"] = $"{(long)ttl.TotalSeconds}s",
            ["renewable"] = true,
        };
        var r = await SendAsync(HttpMethod.Post, "v1/auth/token/create", token, body, ct).ConfigureAwait(false);
        return r["auth"]!["client_token"]!.GetValue<string>();
    }

    public async Task<int> WriteSecretAsync(string token, VaultKvPath path, IReadOnlyDictionary<string, string> data, CancellationToken ct)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in data) obj[k] = v;
        var r = await SendAsync(HttpMethod.Post, $"v1/{path.DataPath}", token, new JsonObject { ["data"] = obj }, ct).ConfigureAwait(false);
        return r["data"]!["version"]!.GetValue<int>();
    }

    public async Task<VaultSecret?> ReadSecretAsync(string token, VaultKvPath path, CancellationToken ct)
    {
        try
        {
            var r = await SendAsync(HttpMethod.Get, $"v1/{path.DataPath}", token, null, ct).ConfigureAwait(false);
            var data = r["data"]!["data"]!.AsObject().ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "", StringComparer.Ordinal);
            return new VaultSecret(r["data"]!["metadata"]!["version"]!.GetValue<int>(), data);
        }
        catch (VaultApiException e) when (e.StatusCode == 404)
        {
            return null;
        }
    }

    public Task WriteCustomMetadataAsync(string token, VaultKvPath path, IReadOnlyDictionary<string, string> customMetadata, CancellationToken ct)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in customMetadata) obj[k] = v;
        return SendAsync(HttpMethod.Post, $"v1/{path.MetadataPath}", token, new JsonObject { ["custom_metadata"] = obj }, ct);
    }

    public Task DestroyVersionsAsync(string token, VaultKvPath path, IReadOnlyList<int> versions, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, $"v1/{path.DestroyPath}", token,
            new JsonObject { ["versions"] = new JsonArray(versions.Select(v => (JsonNode)v).ToArray()) }, ct);

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, string? token, JsonObject? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Add("X-Vault-Token", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // Vault's error bodies are {"errors":[...]} and never echo the token; still keep them short.
            var errors = TryErrors(text);
            throw new VaultApiException($"vault {method} /{path}: HTTP {(int)response.StatusCode} {errors}", (int)response.StatusCode);
        }
        if (response.StatusCode == HttpStatusCode.NoContent || text.Length == 0) return [];
        return JsonNode.Parse(text)?.AsObject() ?? [];
    }

    private static VaultSealStatus ReadSealStatus(JsonObject r) => new(
        r["initialized"]?.GetValue<bool>() ?? true,
        r["sealed"]!.GetValue<bool>(),
        r["t"]?.GetValue<int>() ?? 0,
        r["progress"]?.GetValue<int>() ?? 0);

    private static string TryErrors(string text)
    {
        try
        {
            return JsonNode.Parse(text)?["errors"] is JsonArray a ? string.Join("; ", a.Select(e => e?.ToString())) : "";
        }
        catch (JsonException)
        {
            return text.Length > 120 ? text[..120] : text;
        }
    }
}
