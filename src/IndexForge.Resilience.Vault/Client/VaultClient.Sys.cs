using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IndexForge.Resilience.Vault.Client;

/// <summary>sys/health, sys/seal-status, sys/seal, sys/unseal, sys/init and auth/token/lookup-self.</summary>
public sealed partial class VaultClient
{
    /// <summary>
    /// GET sys/health. Every answer with a health body (200, 429, 472, 473, 501, 503 or an overridden code) is
    /// returned, not thrown; only an unreachable Vault throws (<see cref="VaultUnavailableException"/>).
    /// </summary>
    public async Task<VaultHealth> HealthAsync(VaultHealthQuery? query = null, CancellationToken cancellationToken = default)
    {
        var parameters = new List<string>();
        void Add(string name, object? value)
        {
            if (value is null) return;
            var text = value is bool b ? (b ? "true" : "false") : Convert.ToString(value, CultureInfo.InvariantCulture);
            parameters.Add(name + "=" + text);
        }
        if (query is not null)
        {
            Add("standbyok", query.StandbyOk);
            Add("perfstandbyok", query.PerfStandbyOk);
            Add("activecode", query.ActiveCode);
            Add("standbycode", query.StandbyCode);
            Add("drsecondarycode", query.DrSecondaryCode);
            Add("performancestandbycode", query.PerformanceStandbyCode);
            Add("sealedcode", query.SealedCode);
            Add("uninitcode", query.UninitCode);
        }
        var apiPath = "sys/health" + (parameters.Count > 0 ? "?" + string.Join('&', parameters) : "");
        var result = await SendAsync(HttpMethod.Get, apiPath, null, _transportOnly, cancellationToken, authenticated: false).ConfigureAwait(false);
        JsonNode? body;
        try
        {
            body = result.Body.Length > 0 ? JsonNode.Parse(result.Body) : null;
        }
        catch (JsonException)
        {
            body = null;
        }
        if (body is not JsonObject health || !health.ContainsKey("initialized")) throw Failure(HttpMethod.Get, apiPath, result);
        return new VaultHealth(
            result.Status,
            Bool(health["initialized"]), Bool(health["sealed"]), Bool(health["standby"]), Bool(health["performance_standby"]),
            Str(health["replication_performance_mode"]) ?? "", Str(health["replication_dr_mode"]) ?? "",
            DateTimeOffset.FromUnixTimeSeconds(health["server_time_utc"] is JsonValue t && t.TryGetValue<long>(out var seconds) ? seconds : 0),
            Str(health["version"]) ?? "", Str(health["cluster_name"]), Str(health["cluster_id"]));
    }

    /// <summary>GET sys/seal-status (unauthenticated).</summary>
    public async Task<VaultSealStatus> SealStatusAsync(CancellationToken cancellationToken = default)
    {
        const string apiPath = "sys/seal-status";
        var result = await SendAsync(HttpMethod.Get, apiPath, null, _idempotent, cancellationToken, authenticated: false).ConfigureAwait(false);
        if (!result.IsSuccess) throw Failure(HttpMethod.Get, apiPath, result);
        return ParseSealStatus(result.Json());
    }

    /// <summary>PUT sys/seal; needs sudo on sys/seal (a root token).</summary>
    public async Task SealAsync(CancellationToken cancellationToken = default)
    {
        const string apiPath = "sys/seal";
        var result = await SendAsync(HttpMethod.Put, apiPath, null, _idempotent, cancellationToken, authenticated: true).ConfigureAwait(false);
        if (!result.IsSuccess) throw Failure(HttpMethod.Put, apiPath, result);
    }

    /// <summary>PUT sys/unseal {"key": ...} with one key share (hex or base64); returns the progress.</summary>
    public Task<VaultSealStatus> UnsealAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return UnsealCallAsync(new JsonObject { ["key"] = key }, cancellationToken);
    }

    /// <summary>PUT sys/unseal {"reset": true}: forgets the shares given so far.</summary>
    public Task<VaultSealStatus> ResetUnsealAsync(CancellationToken cancellationToken = default) =>
        UnsealCallAsync(new JsonObject { ["reset"] = true }, cancellationToken);

    /// <summary>PUT sys/init. The answer holds the unseal keys and the root token: keep it out of logs.</summary>
    public async Task<VaultInitResponse> InitializeAsync(int secretShares, int secretThreshold, CancellationToken cancellationToken = default)
    {
        const string apiPath = "sys/init";
        var body = new JsonObject { ["secret_shares"] = secretShares, ["secret_threshold"] = secretThreshold };
        var result = await SendAsync(HttpMethod.Put, apiPath, body, _nonIdempotent, cancellationToken, authenticated: false).ConfigureAwait(false);
        if (!result.IsSuccess) throw Failure(HttpMethod.Put, apiPath, result);
        var json = result.Json();
        static List<string> Strings(JsonNode? node) => node is JsonArray a ? a.Select(k => k!.GetValue<string>()).ToList() : [];
        return new VaultInitResponse(Strings(json["keys"]), Strings(json["keys_base64"]), new VaultToken(json["root_token"]!.GetValue<string>()));
    }

    /// <summary>GET auth/token/lookup-self: the token's policies and lifetime (its id is dropped).</summary>
    public async Task<VaultTokenInfo> LookupSelfAsync(CancellationToken cancellationToken = default)
    {
        const string apiPath = "auth/token/lookup-self";
        var result = await SendAsync(HttpMethod.Get, apiPath, null, _idempotent, cancellationToken, authenticated: true).ConfigureAwait(false);
        if (!result.IsSuccess) throw Failure(HttpMethod.Get, apiPath, result);
        var data = result.Json()["data"] as JsonObject ?? throw new JsonException("no data in the answer");
        var expire = Str(data["expire_time"]);
        return new VaultTokenInfo(
            Str(data["accessor"]) ?? "",
            data["policies"] is JsonArray p ? p.Select(x => x!.GetValue<string>()).ToList() : [],
            Str(data["display_name"]) ?? "",
            Str(data["path"]) ?? "",
            TimeSpan.FromSeconds(data["ttl"] is JsonValue ttl && ttl.TryGetValue<long>(out var s) ? s : 0),
            string.IsNullOrEmpty(expire) ? null : DateTimeOffset.Parse(expire, CultureInfo.InvariantCulture),
            Bool(data["orphan"]),
            Str(data["type"]) ?? "");
    }

    private async Task<VaultSealStatus> UnsealCallAsync(JsonObject body, CancellationToken cancellationToken)
    {
        const string apiPath = "sys/unseal";
        var result = await SendAsync(HttpMethod.Put, apiPath, body, _idempotent, cancellationToken, authenticated: false).ConfigureAwait(false);
        if (!result.IsSuccess) throw Failure(HttpMethod.Put, apiPath, result);
        return ParseSealStatus(result.Json());
    }

    private static VaultSealStatus ParseSealStatus(JsonNode json) => new(
        Str(json["type"]) ?? "", Bool(json["initialized"]), Bool(json["sealed"]),
        Int(json["t"]), Int(json["n"]), Int(json["progress"]), Str(json["nonce"]) ?? "", Str(json["version"]) ?? "",
        Str(json["cluster_name"]), Str(json["cluster_id"]), Str(json["storage_type"]));

    private static bool Bool(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
