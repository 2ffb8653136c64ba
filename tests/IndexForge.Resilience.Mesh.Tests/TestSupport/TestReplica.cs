using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using IndexForge.Resilience.Mesh.Config;
using IndexForge.Resilience.Mesh.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IndexForge.Resilience.Mesh.Tests.TestSupport;

/// <summary>A tiny upstream on 127.0.0.x:0 behind a MeshInbound, whose answers a test can change.</summary>
public sealed class TestReplica : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private TestReplica(string id, WebApplication app, MeshInbound? inbound, Uri address)
    {
        Id = id;
        _app = app;
        Inbound = inbound;
        Address = address;
    }

    public string Id { get; }
    public MeshInbound? Inbound { get; }
    public Uri Address { get; }
    public int Requests => Volatile.Read(ref _requests);
    /// <summary>0 answers 200; otherwise every request gets this status.</summary>
    public volatile int FailStatus;
    public TimeSpan Delay { get; set; }

    public MeshEndpoint Endpoint(string region, string zone) => new(Id, region, zone, Address) { Inbound = Inbound };

    public static async Task<TestReplica> StartAsync(string id, string ip, MeshCertificateAuthority? ca, MeshConfig? config = null,
        MtlsMode? mode = null, IReadOnlyDictionary<string, string>? labels = null)
    {
        var inbound = ca is null ? null : MeshInbound.Create(new MeshInboundOptions
        {
            Ca = ca, Config = config ?? MeshConfig.Empty, Workload = id, ModeOverride = mode,
            Labels = labels ?? new Dictionary<string, string> { ["app"] = "indexforge-search" },
        });
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions? listen = null;
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(ip), 0, l =>
        {
            listen = l;
            if (inbound is not null) inbound.ConfigureListen(l);
        }));
        var app = builder.Build();
        TestReplica? replica = null;
        if (inbound is not null) app.Use((ctx, next) => inbound.AuthorizeAsync(ctx, next));
        app.Run(async ctx =>
        {
            Interlocked.Increment(ref replica!._requests);
            if (replica.Delay > TimeSpan.Zero) await Task.Delay(replica.Delay, ctx.RequestAborted);
            var fail = replica.FailStatus;
            ctx.Response.StatusCode = fail == 0 ? 200 : fail;
            await ctx.Response.WriteAsync(fail == 0 ? $"ok from {id}" : $"failing {id}");
        });
        await app.StartAsync();
        var scheme = inbound?.Scheme ?? "http";
        replica = new TestReplica(id, app, inbound, new Uri($"{scheme}://{ip}:{listen!.IPEndPoint!.Port}"));
        return replica;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Clients that talk to a replica directly with a chosen certificate and protocol.</summary>
public static class DirectClient
{
    public static HttpClient Create(X509Certificate2? clientCertificate, X509Certificate2 trustedRoot, SslProtocols protocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        Action<X509Certificate2>? onServerCertificate = null)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = protocols,
                ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                {
                    var server = (X509Certificate2)cert!;
                    onServerCertificate?.Invoke(server);
                    return MeshTrust.Verify(server, trustedRoot, MeshConstants.TrustDomain, DateTimeOffset.UtcNow, out _) == TlsRefusal.None;
                },
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }
}
