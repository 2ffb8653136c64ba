using System.Text.Json.Nodes;
using IndexForge.Resilience.Vault.Server.Auth;
using IndexForge.Resilience.Vault.Server.Storage;
using Microsoft.AspNetCore.Http;

namespace IndexForge.Resilience.Vault.Server.Http;

/// <summary>sys/health, sys/seal-status, sys/init, sys/unseal, sys/metrics, auth/token/* and sys/policies/acl/*.</summary>
public sealed partial class VaultHttpHandler
{
    /// <summary>The Vault release whose API this server follows (the plan's image, vault:1.13.3).</summary>
    public const string EmulatedVersion = "1.13.3";

    private VaultResponse Health(string method, IQueryCollection query)
    {
        if (method is not ("GET" or "HEAD")) return VaultResponse.Errors(405);
        // Vault's getSysHealth: bad flags or codes are a 400 with no body.
        if (!TryParseBool(query["standbyok"], out var standbyOk) || !TryParseBool(query["perfstandbyok"], out var perfStandbyOk))
            return VaultResponse.Errors(400);
        int? Code(string name, int fallback) => query.TryGetValue(name, out var v) ? int.TryParse(v.ToString(), out var c) ? c : null : fallback;
        var uninitCode = Code("uninitcode", 501);
        var sealedCode = Code("sealedcode", 503);
        var standbyCode = Code("standbycode", 429);
        var activeCode = Code("activecode", 200);
        var drSecondaryCode = Code("drsecondarycode", 472);
        var perfStandbyCode = Code("performancestandbycode", 473);
        if (uninitCode is null || sealedCode is null || standbyCode is null || activeCode is null || drSecondaryCode is null || perfStandbyCode is null)
            return VaultResponse.Errors(400);

        var initialized = _core.IsInitialized;
        var isSealed = !initialized || _core.IsSealed;
        var role = _core.Role;
        var code = !initialized ? uninitCode.Value
            : isSealed ? sealedCode.Value
            : role == VaultNodeRole.PerformanceStandby ? (perfStandbyOk ? activeCode.Value : perfStandbyCode.Value)
            : role == VaultNodeRole.Standby ? (standbyOk ? activeCode.Value : standbyCode.Value)
            : activeCode.Value;
        var body = new JsonObject
        {
            ["initialized"] = initialized,
            ["sealed"] = isSealed,
            ["standby"] = role != VaultNodeRole.Active,
            ["performance_standby"] = role == VaultNodeRole.PerformanceStandby,
            ["replication_performance_mode"] = "disabled",
            ["replication_dr_mode"] = "disabled",
            ["server_time_utc"] = _core.Time.GetUtcNow().ToUnixTimeSeconds(),
            ["version"] = EmulatedVersion,
        };
        if (!isSealed && _core.Cluster is { } cluster)
        {
            body["cluster_name"] = cluster.Name;
            body["cluster_id"] = cluster.Id;
        }
        return new VaultResponse(code, body);
    }

    private VaultResponse SealStatus()
    {
        var initialized = _core.IsInitialized;
        var progress = _core.Seal.Progress();
        var body = new JsonObject
        {
            ["type"] = "shamir",
            ["initialized"] = initialized,
            ["sealed"] = !initialized || progress.Sealed,
            ["t"] = progress.Threshold,
            ["n"] = progress.Shares,
            ["progress"] = progress.Progress,
            ["nonce"] = progress.Nonce,
            ["version"] = EmulatedVersion,
            ["migration"] = false,
            ["recovery_seal"] = false,
            ["storage_type"] = "file",
        };
        if (initialized && !progress.Sealed && _core.Cluster is { } cluster)
        {
            body["cluster_name"] = cluster.Name;
            body["cluster_id"] = cluster.Id;
        }
        return new VaultResponse(200, body);
    }

    private VaultResponse Unseal(JsonObject? body)
    {
        // Vault's UnsealRequest has no JSON tags, so Go matches "key", "reset" and "migrate" case-insensitively.
        JsonNode? Field(string name) => body?.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        if (!_core.IsInitialized) return VaultResponse.Errors(400, "Vault is not initialized");
        if (Field("reset") is JsonValue reset && reset.TryGetValue<bool>(out var doReset) && doReset)
        {
            if (!_core.IsSealed) return VaultResponse.Errors(400, "vault is unsealed");
            _core.Seal.Reset();
            return SealStatus();
        }
        var key = Field("key") is JsonValue k && k.TryGetValue<string>(out var text) ? text : "";
        if (key.Length == 0) return VaultResponse.Errors(400, "'key' must be specified in request body as JSON, or 'reset' set to true");
        var share = VaultCore.DecodeUnsealKey(key);
        if (share is null) return VaultResponse.Errors(400, "'key' must be a valid hex or base64 string");
        try
        {
            _core.Seal.Submit(share);
        }
        catch (BarrierInvalidKeyException e)
        {
            return VaultResponse.Errors(400, e.Message);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(share);
        }
        return SealStatus();
    }

    private async Task<VaultResponse> InitAsync(HttpContext context, string method)
    {
        if (method == "GET") return new VaultResponse(200, new JsonObject { ["initialized"] = _core.IsInitialized });
        if (method is not ("PUT" or "POST")) return VaultResponse.Errors(405);
        var body = await ReadBodyAsync(context).ConfigureAwait(false) ?? [];
        if (_core.IsInitialized) return VaultResponse.Errors(400, "Vault is already initialized");
        var shares = body["secret_shares"] is JsonValue s && s.TryGetValue<int>(out var sv) ? sv : 0;
        var threshold = body["secret_threshold"] is JsonValue t && t.TryGetValue<int>(out var tv) ? tv : 0;
        if (shares < 1) return VaultResponse.Errors(400, "shares must be at least one");
        if (threshold < 1) return VaultResponse.Errors(400, "threshold must be at least one");
        if (shares > 1 && threshold == 1) return VaultResponse.Errors(400, "threshold must be greater than one for multiple shares");
        if (shares > Seal.Shamir.MaxShares) return VaultResponse.Errors(400, "shares must be at most 255");
        if (threshold > shares) return VaultResponse.Errors(400, "threshold cannot be larger than shares");
        var result = _core.Initialize(shares, threshold, _clusterName);
        return new VaultResponse(200, new JsonObject
        {
            ["keys"] = new JsonArray(result.Keys.Select(k => (JsonNode?)JsonValue.Create(k)).ToArray()),
            ["keys_base64"] = new JsonArray(result.KeysBase64.Select(k => (JsonNode?)JsonValue.Create(k)).ToArray()),
            ["root_token"] = result.RootToken.Reveal(),
        });
    }

    private VaultResponse Metrics(string method, IQueryCollection query)
    {
        if (method != "GET") return VaultResponse.Errors(405);
        var format = query["format"].ToString();
        var unsealed = _core.IsInitialized && !_core.IsSealed;
        var clusterName = (unsealed ? _core.Cluster?.Name : null) ?? _core.LastKnownClusterName ?? _clusterName ?? "";
        var text = _core.Metrics.Render(clusterName, unsealed, unsealed && _core.Role == VaultNodeRole.Active);
        if (format == "prometheus") return new VaultResponse(200, null, text, "text/plain; version=0.0.4; charset=utf-8");
        if (format.Length > 0) return VaultResponse.Errors(400, $"unsupported metrics format \"{format}\"");
        return VaultResponse.Errors(400, "this server serves metrics in the prometheus format only: add ?format=prometheus");
    }

    private VaultResponse Token(string path, VaultOperation operation, JsonObject? body, TokenEntry entry, Acl acl, string token)
    {
        if (!acl.Allows(path, operation.Capability())) return VaultResponse.Forbidden;
        switch (path, operation)
        {
            case ("auth/token/lookup-self", VaultOperation.Read):
                return VaultResponse.Logical(LookupJson(entry, token), "token");
            case ("auth/token/revoke-self", VaultOperation.Update or VaultOperation.Create):
                _core.Tokens.Revoke(token);
                return VaultResponse.NoContent;
            case ("auth/token/create", VaultOperation.Update or VaultOperation.Create):
                return CreateToken(body, entry, acl);
            default:
                return VaultResponse.UnsupportedPath;
        }
    }

    private VaultResponse CreateToken(JsonObject? body, TokenEntry parent, Acl acl)
    {
        var policies = body?["policies"] is JsonArray array
            ? array.Select(p => p?.GetValue<string>() ?? "").Where(p => p.Length > 0).ToList()
            : parent.Policies.ToList();
        if (!acl.IsRoot && policies.Any(p => p != VaultPolicy.DefaultName && !parent.Policies.Contains(p)))
            return VaultResponse.Errors(400, "child policies must be subset of parent");
        var ttl = TimeSpan.Zero;
        if (body?["ttl"] is JsonValue ttlValue && ttlValue.TryGetValue<string>(out var ttlText) && !Kv.GoDuration.TryParse(ttlText, out ttl))
            return VaultResponse.Errors(400, "invalid ttl");
        var displayName = body?["display_name"] is JsonValue dn && dn.TryGetValue<string>(out var n) ? "token-" + n : "token";
        Client.VaultToken created;
        try
        {
            created = _core.Tokens.Create(policies, displayName, "auth/token/create", ttl);
        }
        catch (ArgumentException e) when (e.ParamName == "policies")
        {
            return VaultResponse.Errors(400, e.Message.Split(" (Parameter")[0]);
        }
        var entry = _core.Tokens.Lookup(created.Reveal())!;
        var response = VaultResponse.Logical(null, "token");
        ((JsonObject)response.Body!)["auth"] = new JsonObject
        {
            ["client_token"] = created.Reveal(),
            ["accessor"] = entry.Accessor,
            ["policies"] = new JsonArray(entry.Policies.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
            ["token_policies"] = new JsonArray(entry.Policies.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
            ["metadata"] = null,
            ["lease_duration"] = (long)entry.Ttl.TotalSeconds,
            ["renewable"] = false,
            ["entity_id"] = "",
            ["token_type"] = "service",
            ["orphan"] = false,
        };
        return response;
    }

    private JsonObject LookupJson(TokenEntry entry, string token)
    {
        var now = _core.Time.GetUtcNow();
        return new JsonObject
        {
            ["accessor"] = entry.Accessor,
            ["creation_time"] = entry.CreationTime.ToUnixTimeSeconds(),
            ["creation_ttl"] = (long)entry.Ttl.TotalSeconds,
            ["display_name"] = entry.DisplayName,
            ["entity_id"] = "",
            ["expire_time"] = entry.ExpireTime is { } e ? VaultTime.Format(e) : null,
            ["explicit_max_ttl"] = 0,
            // lookup-self returns the caller's own token as "id", as Vault does; the client drops it.
            ["id"] = token,
            ["issue_time"] = VaultTime.Format(entry.CreationTime),
            ["meta"] = null,
            ["num_uses"] = 0,
            ["orphan"] = entry.Path == "auth/token/root",
            ["path"] = entry.Path,
            ["policies"] = new JsonArray(entry.Policies.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
            ["renewable"] = false,
            ["ttl"] = entry.ExpireTime is { } exp ? (long)Math.Max(0, (exp - now).TotalSeconds) : 0,
            ["type"] = "service",
        };
    }

    private const string MountsPreflightPrefix = "sys/internal/ui/mounts/";

    /// <summary>
    /// The preflight `vault kv` commands make to learn a mount's KV version (GET sys/internal/ui/mounts/:path).
    /// Like Vault, it answers for a path the token has some capability under, and 403 otherwise.
    /// </summary>
    private VaultResponse MountPreflight(string path, VaultOperation operation, Acl acl)
    {
        if (operation != VaultOperation.Read) return VaultResponse.UnsupportedOperation;
        var mount = _core.Kv.Mount + "/";
        if (!(path + "/").StartsWith(mount, StringComparison.Ordinal)) return acl.IsRoot ? VaultResponse.Errors(400, "no mount found for path") : VaultResponse.Forbidden;
        var rest = path.Length > mount.Length ? path[mount.Length..] : "";
        var anyCapability = acl.IsRoot || new[] { "data/", "metadata/", "delete/", "undelete/", "destroy/" }
            .Any(prefix => acl.CapabilitiesOn(mount + prefix + rest) is not (VaultCapabilities.None or VaultCapabilities.Deny)
                || acl.CapabilitiesOn(mount + prefix + rest + "/") is not (VaultCapabilities.None or VaultCapabilities.Deny));
        if (!anyCapability) return VaultResponse.Errors(403, "preflight capability check returned 403, please ensure client's policies grant access to path \"" + path + "/\"");
        return VaultResponse.Logical(new JsonObject
        {
            ["accessor"] = "kv_" + _core.Kv.Mount,
            ["config"] = new JsonObject { ["default_lease_ttl"] = 0, ["force_no_cache"] = false, ["max_lease_ttl"] = 0 },
            ["description"] = "key/value secret storage",
            ["external_entropy_access"] = false,
            ["local"] = false,
            ["options"] = new JsonObject { ["version"] = "2" },
            ["path"] = mount,
            ["seal_wrap"] = false,
            ["type"] = "kv",
            ["uuid"] = "",
        }, "system");
    }

    private VaultResponse Policy(string path, VaultOperation operation, JsonObject? body, Acl acl)
    {
        var name = path["sys/policies/acl/".Length..];
        if (name.Length == 0 || name.Contains('/')) return VaultResponse.UnsupportedPath;
        if (operation == VaultOperation.Update && _core.Tokens.GetPolicy(name) is null) operation = VaultOperation.Create;
        if (!acl.Allows(path, operation.Capability())) return VaultResponse.Forbidden;
        switch (operation)
        {
            case VaultOperation.Read:
                var policy = _core.Tokens.GetPolicy(name);
                return policy is null ? VaultResponse.NotFound : VaultResponse.Logical(new JsonObject { ["name"] = name, ["policy"] = policy.Source ?? "" }, "system");
            case VaultOperation.Create or VaultOperation.Update:
                if (name is VaultPolicy.RootName or VaultPolicy.DefaultName) return VaultResponse.Errors(400, $"cannot update \"{name}\" policy");
                var hcl = body?["policy"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : "";
                if (hcl.Length == 0) return VaultResponse.Errors(400, "'policy' parameter not supplied or empty");
                try
                {
                    _core.Tokens.PutPolicy(VaultPolicy.Parse(name, hcl));
                }
                catch (PolicyParseException e)
                {
                    return VaultResponse.Errors(400, "failed to parse policy: " + e.Message);
                }
                return VaultResponse.NoContent;
            case VaultOperation.Delete:
                if (name is VaultPolicy.RootName or VaultPolicy.DefaultName) return VaultResponse.Errors(400, $"cannot delete \"{name}\" policy");
                _core.Tokens.DeletePolicy(name);
                return VaultResponse.NoContent;
            default:
                return VaultResponse.UnsupportedOperation;
        }
    }
}
