using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IndexForge.Resilience.Kubernetes.Tests.Fakes;

/// <summary>
/// A stand-in for what runs inside a pod (the sample service's control endpoints, or Vault's API),
/// on 127.0.0.1:0; the fake API server relays port-forwards to it. Records what it was sent.
/// </summary>
public sealed class FakePod : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakePod(WebApplication app) => _app = app;

    public IPEndPoint EndPoint { get; private set; } = null!;
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();
    /// <summary>(method, path) → (status, body); unknown routes answer 404.</summary>
    public ConcurrentDictionary<(string Method, string Path), Func<string, (int Status, string Body)>> Routes { get; } = new();

    public static async Task<FakePod> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var pod = new FakePod(app);
        app.Run(async ctx =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            var body = await reader.ReadToEndAsync();
            var path = ctx.Request.Path.Value ?? "/";
            pod.Requests.Enqueue(new RecordedRequest(ctx.Request.Method, path, ctx.Request.QueryString.Value ?? "", ctx.Request.ContentType ?? "", body));
            if (pod.Routes.TryGetValue((ctx.Request.Method, path), out var route))
            {
                var (status, answer) = route(body);
                ctx.Response.StatusCode = status;
                // A 204 or 304 has no body: Kestrel throws on any write to one, even an empty one, and
                // then closes the keep-alive connection, so the client's next request could find it
                // gone ("response ended prematurely"), a flake seen in a full test run.
                if (status is 204 or 304) return;
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync(answer);
                return;
            }
            ctx.Response.StatusCode = 404;
        });
        await app.StartAsync();
        var uri = new Uri(app.Urls.First());
        pod.EndPoint = new IPEndPoint(IPAddress.Loopback, uri.Port);
        return pod;
    }

    /// <summary>The sample service's chaos endpoints: PUT and DELETE /control/chaos answer 204, GET /control/secret the version.</summary>
    public FakePod WithChaosEndpoints(Func<int>? secretVersion = null)
    {
        Routes[("PUT", "/control/chaos")] = _ => (204, "");
        Routes[("DELETE", "/control/chaos")] = _ => (204, "");
        Routes[("GET", "/control/secret")] = _ => (200, new JsonObject { ["version"] = secretVersion?.Invoke() ?? 1 }.ToJsonString());
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
