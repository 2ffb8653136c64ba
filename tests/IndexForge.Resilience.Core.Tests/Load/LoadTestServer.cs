using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace IndexForge.Resilience.Core.Tests.Load;

/// <summary>
/// An in-process Kestrel on 127.0.0.1:0 answering like a replica: /ok (with replica and region
/// headers), /status/{code}, /overloaded (503 + x-envoy-overloaded), /stall (never answers in
/// time), /reset (aborts the connection), /echo-key (says whether the credential header arrived).
/// </summary>
internal sealed class LoadTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoadTestServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public long Requests => Interlocked.Read(ref _requests[0]);

    /// <summary>Requests by protocol ("HTTP/1.1", "HTTP/2") and the distinct connections they came on.</summary>
    public ConcurrentDictionary<string, long> Protocols { get; private init; } = new();

    public ConcurrentDictionary<string, byte> Connections { get; private init; } = new();

    private long[] _requests { get; init; } = [0];


    public static async Task<LoadTestServer> StartAsync(
        string replica = "replica-a", string region = "region-1", HttpProtocols protocols = HttpProtocols.Http1AndHttp2,
        X509Certificate2? serverCertificate = null, Action<HttpsConnectionAdapterOptions>? https = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o =>
        {
            o.Protocols = protocols;
            if (serverCertificate is not null)
            {
                o.UseHttps(h =>
                {
                    h.ServerCertificate = serverCertificate;
                    https?.Invoke(h);
                });
            }
        }));
        var app = builder.Build();
        var requests = new long[1];
        var seenProtocols = new ConcurrentDictionary<string, long>();
        var connections = new ConcurrentDictionary<string, byte>();
        app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref requests[0]);
            seenProtocols.AddOrUpdate(context.Request.Protocol, 1, (_, n) => n + 1);
            connections.TryAdd(context.Connection.Id, 0);
            await next(context);
        });
        app.MapGet("/ok", (HttpContext c) =>
        {
            c.Response.Headers["x-indexforge-replica"] = replica;
            c.Response.Headers["x-indexforge-region"] = region;
            return "ok";
        });
        app.MapGet("/status/{code:int}", (int code) => HttpResults.StatusCode(code));
        app.MapGet("/overloaded", (HttpContext c) =>
        {
            c.Response.Headers["x-envoy-overloaded"] = "true";
            return HttpResults.StatusCode(503);
        });
        app.MapGet("/stall", async (CancellationToken ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return "late";
        });
        app.MapGet("/reset", (HttpContext c) =>
        {
            c.Abort();
            return Task.CompletedTask;
        });
        app.MapGet("/echo-key", (HttpContext c) =>
            c.Request.Headers.TryGetValue("x-indexforge-api-key", out var v) && v == "s3cr3t" ? HttpResults.Ok("ok") : HttpResults.StatusCode(401));
        app.MapGet("/slow", async () =>
        {
            await Task.Delay(100);
            return "ok";
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoadTestServer(app, new Uri(address)) { _requests = requests, Protocols = seenProtocols, Connections = connections };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
