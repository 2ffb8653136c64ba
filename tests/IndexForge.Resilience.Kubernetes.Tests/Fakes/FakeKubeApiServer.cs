using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IndexForge.Resilience.Kubernetes.Tests.Fakes;

public sealed record RecordedRequest(string Method, string Path, string Query, string ContentType, string Body)
{
    public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);
    public override string ToString() => $"{Method} {Path}{Query}";
}

/// <summary>
/// An in-process Kubernetes API server on 127.0.0.1:0: an object store keyed by API path that
/// answers GET/LIST (with equality label selectors), POST, PUT, PATCH (merge and apply, both as
/// JSON merge patches), DELETE, pod logs, and port-forward WebSockets relayed to local TCP
/// endpoints. Every request is recorded so tests can assert the exact calls an injector makes.
/// </summary>
public sealed class FakeKubeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _store = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private long _resourceVersion = 100;

    private FakeKubeApiServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];
    /// <summary>Requests that change something (not GET).</summary>
    public IReadOnlyList<RecordedRequest> Mutations => Requests.Where(r => r.Method != "GET").ToList();
    /// <summary>Answer with this status instead (e.g. 500) when the predicate matches; null answers normally.</summary>
    public Func<RecordedRequest, int?> FailWhen { get; set; } = _ => null;
    /// <summary>(namespace, pod, port) → where a port-forward to it is relayed.</summary>
    public ConcurrentDictionary<(string Ns, string Pod, int Port), IPEndPoint> PortForwards { get; } = new();
    public ConcurrentDictionary<(string Ns, string Pod), string> PodLogs { get; } = new();
    /// <summary>Called with (path, object) after a POST stored an object: a test's stand-in for a controller (e.g. the Job controller).</summary>
    public Action<string, JsonObject>? Created { get; set; }

    public static async Task<FakeKubeApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeKubeApiServer(app);
        app.UseWebSockets();
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseAddress = new Uri(app.Urls.First());
        return server;
    }

    public IKubernetes Client() => new k8s.Kubernetes(new KubernetesClientConfiguration { Host = BaseAddress.ToString() });

    public void ClearRequests() => _requests.Clear();

    /// <summary>Stores an object at its API path (derived from apiVersion, kind, namespace and name).</summary>
    public JsonObject Seed(string json)
    {
        var obj = JsonNode.Parse(json)!.AsObject();
        var meta = (JsonObject)obj["metadata"]!;
        meta["resourceVersion"] = NextVersion();
        meta["uid"] ??= Guid.NewGuid().ToString();
        _store[ItemPath(obj)] = obj;
        return obj;
    }

    public JsonObject? Get(string path) => _store.TryGetValue(path, out var o) ? o : null;

    /// <summary>Replaces the stored object with a changed copy (never mutates what a request may be serializing).</summary>
    public void Update(string path, Action<JsonObject> change)
    {
        var copy = (JsonObject)_store[path].DeepClone();
        change(copy);
        _store[path] = copy;
    }

    public bool Exists(string path) => _store.ContainsKey(path);

    public static string ItemPath(JsonObject obj)
    {
        var apiVersion = obj["apiVersion"]!.GetValue<string>();
        var kind = ResourceKindsFor(apiVersion, obj["kind"]!.GetValue<string>());
        var meta = obj["metadata"]!;
        var ns = meta["namespace"]?.GetValue<string>();
        var prefix = apiVersion.Contains('/') ? $"/apis/{apiVersion}" : $"/api/{apiVersion}";
        return kind.Namespaced && ns is not null
            ? $"{prefix}/namespaces/{ns}/{kind.Plural}/{meta["name"]!.GetValue<string>()}"
            : $"{prefix}/{kind.Plural}/{meta["name"]!.GetValue<string>()}";
    }

    private static Kube.ResourceKind ResourceKindsFor(string apiVersion, string kind) => Kube.ResourceKinds.Of(apiVersion, kind);

    private string NextVersion() => Interlocked.Increment(ref _resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        if (path.EndsWith("/portforward", StringComparison.Ordinal) && ctx.WebSockets.IsWebSocketRequest)
        {
            _requests.Enqueue(new RecordedRequest("PORTFORWARD", path, ctx.Request.QueryString.Value ?? "", "", ""));
            await PortForwardAsync(ctx, path);
            return;
        }
        string body;
        using (var reader = new StreamReader(ctx.Request.Body)) body = await reader.ReadToEndAsync();
        var request = new RecordedRequest(ctx.Request.Method, path, ctx.Request.QueryString.Value ?? "", ctx.Request.ContentType ?? "", body);
        _requests.Enqueue(request);
        if (FailWhen(request) is { } failure)
        {
            await WriteStatusAsync(ctx, failure, "InternalError", $"injected failure for {request}");
            return;
        }
        if (path.EndsWith("/log", StringComparison.Ordinal))
        {
            var parts = path.Split('/');
            var key = (parts[4], parts[6]);
            ctx.Response.ContentType = "text/plain";
            await ctx.Response.WriteAsync(PodLogs.TryGetValue(key, out var log) ? log : "");
            return;
        }
        switch (ctx.Request.Method)
        {
            case "GET": await GetAsync(ctx, path); break;
            case "POST": await CreateAsync(ctx, path, body); break;
            case "PUT": await ReplaceAsync(ctx, path, body); break;
            case "PATCH": await PatchAsync(ctx, path, body, ctx.Request.ContentType ?? ""); break;
            case "DELETE": await DeleteAsync(ctx, path); break;
            default: await WriteStatusAsync(ctx, 405, "MethodNotAllowed", ctx.Request.Method); break;
        }
    }

    private async Task GetAsync(HttpContext ctx, string path)
    {
        if (_store.TryGetValue(path, out var item))
        {
            await WriteJsonAsync(ctx, 200, item);
            return;
        }
        if (!IsCollection(path))
        {
            await WriteStatusAsync(ctx, 404, "NotFound", $"{path} not found");
            return;
        }
        var selector = ParseSelector(ctx.Request.Query["labelSelector"].ToString());
        var items = new JsonArray();
        foreach (var (p, o) in _store.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!p.StartsWith(path + "/", StringComparison.Ordinal) || p[(path.Length + 1)..].Contains('/')) continue;
            if (Matches(o, selector)) items.Add(o.DeepClone());
        }
        await WriteJsonAsync(ctx, 200, new JsonObject { ["kind"] = "List", ["apiVersion"] = "v1", ["metadata"] = new JsonObject { ["resourceVersion"] = NextVersion() }, ["items"] = items });
    }

    private async Task CreateAsync(HttpContext ctx, string collection, string body)
    {
        var obj = JsonNode.Parse(body)!.AsObject();
        var meta = (JsonObject)(obj["metadata"] ??= new JsonObject());
        var name = meta["name"]?.GetValue<string>() ?? (meta["generateName"]?.GetValue<string>() + Guid.NewGuid().ToString("N")[..5]);
        meta["name"] = name;
        var path = $"{collection}/{name}";
        if (_store.ContainsKey(path))
        {
            await WriteStatusAsync(ctx, 409, "AlreadyExists", $"{path} already exists");
            return;
        }
        meta["resourceVersion"] = NextVersion();
        meta["uid"] = Guid.NewGuid().ToString();
        _store[path] = obj;
        Created?.Invoke(path, (JsonObject)obj.DeepClone());
        await WriteJsonAsync(ctx, 201, obj);
    }

    private async Task ReplaceAsync(HttpContext ctx, string path, string body)
    {
        if (!_store.TryGetValue(path, out var existing))
        {
            await WriteStatusAsync(ctx, 404, "NotFound", $"{path} not found");
            return;
        }
        var obj = JsonNode.Parse(body)!.AsObject();
        var sent = obj["metadata"]?["resourceVersion"]?.GetValue<string>();
        // Like the real server for custom resources: an update must name the version it replaces.
        if (sent != existing["metadata"]!["resourceVersion"]!.GetValue<string>())
        {
            await WriteStatusAsync(ctx, 409, "Conflict", $"resourceVersion {sent ?? "(none)"} is not current for {path}");
            return;
        }
        obj["metadata"]!["resourceVersion"] = NextVersion();
        _store[path] = obj;
        await WriteJsonAsync(ctx, 200, obj);
    }

    private async Task PatchAsync(HttpContext ctx, string path, string body, string contentType)
    {
        var patch = JsonNode.Parse(body)!.AsObject();
        if (!_store.TryGetValue(path, out var existing))
        {
            if (!contentType.StartsWith("application/apply-patch", StringComparison.Ordinal))
            {
                await WriteStatusAsync(ctx, 404, "NotFound", $"{path} not found");
                return;
            }
            existing = new JsonObject();
        }
        var merged = (JsonObject)existing.DeepClone();
        MergePatch(merged, patch);
        var meta = (JsonObject)(merged["metadata"] ??= new JsonObject());
        meta["resourceVersion"] = NextVersion();
        meta["uid"] ??= Guid.NewGuid().ToString();
        _store[path] = merged;
        await WriteJsonAsync(ctx, 200, merged);
    }

    private async Task DeleteAsync(HttpContext ctx, string path)
    {
        if (!_store.TryRemove(path, out var removed))
        {
            await WriteStatusAsync(ctx, 404, "NotFound", $"{path} not found");
            return;
        }
        if (path.StartsWith("/api/v1/namespaces/", StringComparison.Ordinal) && path.Count(c => c == '/') == 4)
        {
            var ns = path["/api/v1/namespaces/".Length..];
            foreach (var key in _store.Keys.Where(k => k.Contains($"/namespaces/{ns}/", StringComparison.Ordinal)).ToList()) _store.TryRemove(key, out _);
        }
        await WriteJsonAsync(ctx, 200, removed);
    }

    /// <summary>RFC 7386: null removes, objects merge, anything else replaces.</summary>
    public static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (value is null) target.Remove(key);
            else if (value is JsonObject po && target[key] is JsonObject to) MergePatch(to, po);
            else target[key] = value.DeepClone();
        }
    }

    private static bool IsCollection(string path)
    {
        var segments = path.Trim('/').Split('/');
        // /api/v1/<plural>, /api/v1/namespaces/<ns>/<plural>, /apis/<g>/<v>/<plural>, /apis/<g>/<v>/namespaces/<ns>/<plural>
        var rest = segments[0] == "api" ? segments[2..] : segments[3..];
        return rest.Length == 1 || (rest.Length == 3 && rest[0] == "namespaces");
    }

    private static List<(string Key, string? Value)> ParseSelector(string selector) =>
        selector.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Split('=', 2) is [var k, var v] ? (k, (string?)v) : (s, null)).ToList();

    private static bool Matches(JsonObject obj, List<(string Key, string? Value)> selector)
    {
        var labels = obj["metadata"]?["labels"] as JsonObject;
        return selector.All(s => labels?[s.Key] is { } v && (s.Value is null || v.GetValue<string>() == s.Value));
    }

    private static async Task WriteJsonAsync(HttpContext ctx, int status, JsonNode body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(body.ToJsonString());
    }

    private static Task WriteStatusAsync(HttpContext ctx, int code, string reason, string message) =>
        WriteJsonAsync(ctx, code, new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["message"] = message, ["reason"] = reason, ["code"] = code,
        });

    /// <summary>Speaks the kubelet's port-forward WebSocket protocol and relays channel 0 to a local TCP endpoint.</summary>
    private async Task PortForwardAsync(HttpContext ctx, string path)
    {
        var parts = path.Split('/');
        var (ns, pod) = (parts[4], parts[6]);
        var port = int.Parse(ctx.Request.Query["ports"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
        if (!PortForwards.TryGetValue((ns, pod, port), out var endpoint))
        {
            ctx.Response.StatusCode = 404;
            return;
        }
        var protocol = ctx.WebSockets.WebSocketRequestedProtocols.FirstOrDefault();
        using var socket = await ctx.WebSockets.AcceptWebSocketAsync(protocol);
        var portBytes = new[] { (byte)(port & 0xff), (byte)(port >> 8) };
        await socket.SendAsync(new byte[] { 0, portBytes[0], portBytes[1] }, WebSocketMessageType.Binary, true, CancellationToken.None);
        await socket.SendAsync(new byte[] { 1, portBytes[0], portBytes[1] }, WebSocketMessageType.Binary, true, CancellationToken.None);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint);
        var stream = tcp.GetStream();
        using var cts = new CancellationTokenSource();
        var down = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var n = await stream.ReadAsync(buffer.AsMemory(1), cts.Token);
                    if (n == 0) break;
                    buffer[0] = 0;
                    await socket.SendAsync(buffer.AsMemory(0, n + 1), WebSocketMessageType.Binary, true, cts.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or WebSocketException) { }
        });
        var receive = new byte[64 * 1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var r = await socket.ReceiveAsync(receive, CancellationToken.None);
                if (r.MessageType == WebSocketMessageType.Close) break;
                if (r.Count > 1 && receive[0] == 0) await stream.WriteAsync(receive.AsMemory(1, r.Count - 1));
            }
        }
        catch (Exception e) when (e is IOException or WebSocketException) { }
        cts.Cancel();
        await down;
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try { await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None); }
            catch (WebSocketException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
