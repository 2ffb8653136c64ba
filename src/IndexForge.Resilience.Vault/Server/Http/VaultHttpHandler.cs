using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using IndexForge.Resilience.Vault.Server.Auth;
using IndexForge.Resilience.Vault.Server.Kv;
using IndexForge.Resilience.Vault.Server.Storage;
using Microsoft.AspNetCore.Http;

namespace IndexForge.Resilience.Vault.Server.Http;

/// <summary>
/// Vault's HTTP API for the subset this server implements, under <c>/v1/</c>. Unauthenticated system paths answer
/// in every state; everything else answers 503 "Vault is sealed" while sealed, 403 without a valid token or
/// outside the token's policies, and is then routed to sys, auth/token or the KV v2 mount.
/// Never logs: request bodies carry secrets and headers carry tokens.
/// </summary>
public sealed partial class VaultHttpHandler
{
    public const string TokenHeader = "X-Vault-Token";
    private const int MaxBodyBytes = 1 << 20;

    private readonly VaultCore _core;
    private readonly bool _unauthenticatedMetrics;
    private readonly string? _clusterName;

    public VaultHttpHandler(VaultCore core, bool unauthenticatedMetrics, string? clusterName)
    {
        _core = core;
        _unauthenticatedMetrics = unauthenticatedMetrics;
        _clusterName = clusterName;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        VaultResponse response;
        try
        {
            response = await DispatchAsync(context).ConfigureAwait(false);
        }
        catch (BarrierSealedException)
        {
            response = VaultResponse.Sealed;
        }
        catch (JsonException)
        {
            response = VaultResponse.Errors(400, "error parsing JSON");
        }
        catch (BadHttpRequestException)
        {
            response = VaultResponse.Errors(400, "error reading request body");
        }
        catch (Exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            // Exception texts may quote paths or values; Vault's clients only need to know it was internal.
            response = VaultResponse.MultiError(500, "internal error");
        }
        await WriteAsync(context, response).ConfigureAwait(false);
        _core.Metrics.HandleRequest.Record(Stopwatch.GetElapsedTime(started));
    }

    private async Task<VaultResponse> DispatchAsync(HttpContext context)
    {
        var rawPath = context.Request.Path.Value ?? "";
        if (!rawPath.StartsWith("/v1/", StringComparison.Ordinal)) return VaultResponse.NotFound;
        var path = rawPath["/v1/".Length..];
        var method = context.Request.Method;
        var query = context.Request.Query;

        switch (path)
        {
            case "sys/health": return Health(method, query);
            case "sys/seal-status": return method == "GET" ? SealStatus() : VaultResponse.Errors(405);
            case "sys/unseal": return method is "PUT" or "POST" ? Unseal(await ReadBodyAsync(context).ConfigureAwait(false)) : VaultResponse.Errors(405);
            case "sys/init": return await InitAsync(context, method).ConfigureAwait(false);
            case "sys/metrics" when _unauthenticatedMetrics: return Metrics(method, query);
        }

        if (!_core.IsInitialized || _core.IsSealed) return VaultResponse.Sealed;

        var tokenStarted = Stopwatch.GetTimestamp();
        var token = ReadToken(context.Request);
        var entry = token is null ? null : _core.Tokens.Lookup(token);
        _core.Metrics.CheckToken.Record(Stopwatch.GetElapsedTime(tokenStarted));
        if (entry is null) return VaultResponse.Forbidden;
        var acl = _core.Tokens.AclFor(entry);

        if (!TryParseBool(query["list"], out var listQuery)) return VaultResponse.Errors(400, "invalid value for list parameter");
        if (VaultOperations.FromMethod(method, listQuery) is not { } operation) return VaultResponse.Errors(405);

        var body = operation is VaultOperation.Update or VaultOperation.Patch ? await ReadBodyAsync(context).ConfigureAwait(false) : null;

        if (path == "sys/seal")
        {
            if (operation != VaultOperation.Update) return VaultResponse.Errors(405);
            if (!acl.Allows(path, VaultCapabilities.Update | VaultCapabilities.Sudo)) return VaultResponse.Forbidden;
            _core.SealNow();
            return VaultResponse.NoContent;
        }
        if (path == "sys/metrics") return acl.Allows(path, VaultCapabilities.Read) ? Metrics(method, query) : VaultResponse.Forbidden;
        if (path.StartsWith("auth/token/", StringComparison.Ordinal)) return Token(path, operation, body, entry, acl, token!);
        if (path.StartsWith("sys/policies/acl/", StringComparison.Ordinal)) return Policy(path, operation, body, acl);
        if (path.StartsWith(MountsPreflightPrefix, StringComparison.Ordinal)) return MountPreflight(path[MountsPreflightPrefix.Length..], operation, acl);

        var mountPrefix = _core.Kv.Mount + "/";
        if (path.StartsWith(mountPrefix, StringComparison.Ordinal))
        {
            if (KvBackend.Route(path[mountPrefix.Length..]) is not { } route) return acl.IsRoot ? VaultResponse.UnsupportedPath : VaultResponse.Forbidden;
            if (route.Path.TrimEnd('/') is { Length: > 0 } keyPath && !FileStorage.IsValidKey(keyPath, out var pathError)) return VaultResponse.Errors(400, pathError);
            if (operation == VaultOperation.Update && !_core.Kv.Exists(route.Endpoint, route.Path)) operation = VaultOperation.Create;
            if (!acl.Allows(path, operation.Capability())) return VaultResponse.Forbidden;
            long? version = null;
            if (route.Endpoint == KvEndpoint.Data && query.TryGetValue("version", out var versionText))
            {
                if (!long.TryParse(versionText.ToString(), out var parsed) || parsed < 0) return VaultResponse.Errors(400, "error converting input for field \"version\"");
                version = parsed;
            }
            return _core.Kv.Handle(new KvRequest(route.Endpoint, route.Path, operation, body, version));
        }

        if (!acl.IsRoot) return VaultResponse.Forbidden;
        return VaultResponse.Errors(404, $"no handler for route \"{path}\". route entry not found.");
    }

    private static string? ReadToken(HttpRequest request)
    {
        if (request.Headers.TryGetValue(TokenHeader, out var header) && !string.IsNullOrEmpty(header.ToString())) return header.ToString();
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }

    private static async Task<JsonObject?> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) throw new BadHttpRequestException("request body too large");
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) return null;
        return JsonNode.Parse(buffer.ToArray()) as JsonObject ?? throw new JsonException("the request body is not a JSON object");
    }

    /// <summary>Go's strconv.ParseBool, which Vault uses for query flags; an absent flag is false.</summary>
    private static bool TryParseBool(Microsoft.Extensions.Primitives.StringValues values, out bool value)
    {
        value = false;
        if (values.Count == 0) return true;
        switch (values[0])
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True": value = true; return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False": return true;
            default: return false;
        }
    }

    private static async Task WriteAsync(HttpContext context, VaultResponse response)
    {
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = response.Status;
        context.Response.Headers.CacheControl = "no-store";
        if (response.Text is { } text)
        {
            context.Response.ContentType = response.ContentType ?? "text/plain; charset=utf-8";
            if (!HttpMethods.IsHead(context.Request.Method)) await context.Response.WriteAsync(text).ConfigureAwait(false);
            return;
        }
        if (response.Body is null) return;
        context.Response.ContentType = "application/json";
        if (HttpMethods.IsHead(context.Request.Method)) return;
        await context.Response.WriteAsync(response.Body.ToJsonString() + "\n").ConfigureAwait(false);
    }
}
