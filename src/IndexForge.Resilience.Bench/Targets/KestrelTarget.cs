using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IndexForge.Resilience.Bench.Targets;

/// <summary>Fallback target: an in-process Kestrel on 127.0.0.1:0 answering 200 with the 2-byte body.</summary>
public sealed class KestrelTarget : IBenchTarget
{
    private readonly WebApplication _app;

    private KestrelTarget(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public string Description => $"Kestrel (in process, .NET {Environment.Version})";

    public bool InProcess => true;

    public static async Task<KestrelTarget> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var body = System.Text.Encoding.ASCII.GetBytes(BenchConstants.Body);
        app.Run(context =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = body.Length;
            return context.Response.Body.WriteAsync(body, 0, body.Length);
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KestrelTarget(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
