using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Load.ConstantArrivalRate;
using IndexForge.Resilience.Core.Load.Http;
using IndexForge.Resilience.Core.Load.Recording;
using IndexForge.Resilience.Core.Targets;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using IndexForge.Resilience.Testing;
using Xunit;

namespace IndexForge.Resilience.Core.Tests.Load.Http;

public sealed class HttpTransportTests
{
    private static LoadPlan Plan(string path = "/ok", string http = "1.1", int connections = 4, TimeSpan? timeout = null, Func<string?>? credential = null) => new()
    {
        Spec = new LoadSpec
        {
            Requests = [new RequestSpec { Path = path }],
            Http = http,
            Connections = connections,
            Timeout = timeout ?? TimeSpan.FromSeconds(5),
            Phases = [new ConstantArrivalRateOptions { Name = "p", Rate = 1, Duration = TimeSpan.FromSeconds(1) }],
        },
        Resolve = _ => throw new NotSupportedException(),
        Credential = credential,
    };

    private static async Task<SendOutcome> SendOnceAsync(LoadEndpoint endpoint, LoadPlan plan, TimeSpan? timeout = null)
    {
        await using var transport = new HttpTransportFactory().Create(endpoint, plan);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await transport.SendAsync(0, 0, cts.Token);
    }

    [Theory]
    [InlineData("/ok", 200, ErrorClass.None)]
    [InlineData("/status/302", 302, ErrorClass.None)]
    [InlineData("/status/404", 404, ErrorClass.Http4xx)]
    [InlineData("/status/429", 429, ErrorClass.Http4xx)]
    [InlineData("/status/500", 500, ErrorClass.Http5xx)]
    [InlineData("/status/503", 503, ErrorClass.Http5xx)]
    [InlineData("/overloaded", 503, ErrorClass.MeshOverflow)]
    public async Task SendAsync_StatusFromAKestrelReplica_ClassifiedByStatusAndEnvoyHeader(string path, int status, ErrorClass expected)
    {
        await using var server = await LoadTestServer.StartAsync();

        var outcome = await SendOnceAsync(new LoadEndpoint(server.Address), Plan(path));

        Assert.Equal(status, outcome.Status);
        Assert.Equal(expected, outcome.Error);
    }

    [Fact]
    public async Task SendAsync_ReplicaAndRegionHeaders_AreReported()
    {
        await using var server = await LoadTestServer.StartAsync(replica: "search-7", region: "eu-west");

        var outcome = await SendOnceAsync(new LoadEndpoint(server.Address), Plan());

        Assert.Equal(("search-7", "eu-west"), (outcome.Replica, outcome.Region));
    }

    [Fact]
    public async Task SendAsync_NothingListening_ConnectionRefused()
    {
        var port = FreePort();

        var outcome = await SendOnceAsync(new LoadEndpoint(new Uri($"http://127.0.0.1:{port}/")), Plan());

        Assert.Equal(ErrorClass.ConnectionRefused, outcome.Error);
        Assert.Equal(0, outcome.Status);
    }

    [Fact]
    public async Task SendAsync_ServerResetsTheConnection_ConnectionReset()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var server = Task.Run(async () =>
        {
            using var client = await listener.AcceptSocketAsync();
            await client.ReceiveAsync(new byte[4096], SocketFlags.None);
            // Linger 0 closes with RST instead of FIN.
            client.LingerState = new LingerOption(true, 0);
            client.Close();
        });

        var outcome = await SendOnceAsync(new LoadEndpoint(new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/")), Plan());
        await server;

        Assert.Equal(ErrorClass.ConnectionReset, outcome.Error);
    }

    [Fact]
    public async Task SendAsync_KestrelAbortsMidRequest_ConnectionReset()
    {
        await using var server = await LoadTestServer.StartAsync();

        var outcome = await SendOnceAsync(new LoadEndpoint(server.Address), Plan("/reset"));

        Assert.Equal(ErrorClass.ConnectionReset, outcome.Error);
    }

    [Fact]
    public async Task SendAsync_ServerStalls_TimeoutWhenTheRequestTokenFires()
    {
        await using var server = await LoadTestServer.StartAsync();

        var outcome = await SendOnceAsync(new LoadEndpoint(server.Address), Plan("/stall"), timeout: TimeSpan.FromMilliseconds(300));

        Assert.Equal(ErrorClass.Timeout, outcome.Error);
    }

    [Fact]
    public async Task SendAsync_ServerChainNotFromTheTrustedRoot_TlsHandshake()
    {
        var mesh = TestCertificates.Create("mesh-ca");
        var foreign = TestCertificates.Create("foreign-ca");
        await using var server = await LoadTestServer.StartAsync(serverCertificate: foreign.Server());

        var refused = await SendOnceAsync(new LoadEndpoint(server.Address, new ClientTls(mesh.Client(), mesh.Root)), Plan());
        var trusted = await SendOnceAsync(new LoadEndpoint(server.Address, new ClientTls(foreign.Client(), foreign.Root)), Plan());

        Assert.Equal(ErrorClass.TlsHandshake, refused.Error);
        Assert.Equal(ErrorClass.None, trusted.Error);
    }

    [Fact]
    public async Task SendAsync_MutualTls_KestrelServesOnlyTheClientCertificateFromTheMeshCa()
    {
        var mesh = TestCertificates.Create("mesh-ca");
        var foreign = TestCertificates.Create("foreign-ca");
        await using var server = await LoadTestServer.StartAsync(serverCertificate: mesh.Server(), https: h =>
        {
            h.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            h.ClientCertificateValidation = (certificate, _, _) => HttpLoadTransport.ChainsTo(mesh.Root, certificate, null, System.Net.Security.SslPolicyErrors.None);
        });

        var accepted = await SendOnceAsync(new LoadEndpoint(server.Address, new ClientTls(mesh.Client(), mesh.Root)), Plan());
        var requestsAfterAccepted = server.Requests;
        var refused = await SendOnceAsync(new LoadEndpoint(server.Address, new ClientTls(foreign.Client(), mesh.Root)), Plan());

        Assert.Equal(ErrorClass.None, accepted.Error);
        Assert.Equal(1, requestsAfterAccepted);
        // .NET servers check the client certificate after the handshake completed, so the client
        // sees its connection end before any response (FACTS.md); the server saw no request.
        Assert.Equal(ErrorClass.ConnectionReset, refused.Error);
        Assert.Equal(requestsAfterAccepted, server.Requests);
    }

    [RequiresToolFact("openssl")]
    public async Task SendAsync_ServerRefusesTheClientCertificateInTheHandshake_TlsHandshake()
    {
        var mesh = TestCertificates.Create("mesh-ca");
        var foreign = TestCertificates.Create("foreign-ca");
        await using var server = await OpenSslServer.StartAsync(mesh);
        var endpoint = new Uri($"https://127.0.0.1:{server.Port}/");

        var accepted = await SendOnceAsync(new LoadEndpoint(endpoint, new ClientTls(mesh.Client(), mesh.Root)), Plan("/"));
        var refused = await SendOnceAsync(new LoadEndpoint(endpoint, new ClientTls(foreign.Client(), mesh.Root)), Plan("/"));

        Assert.Equal(ErrorClass.None, accepted.Error);
        Assert.Equal(ErrorClass.TlsHandshake, refused.Error);
    }

    [Fact]
    public async Task SendAsync_Http2OverCleartext_UsesPriorKnowledgeH2c()
    {
        await using var server = await LoadTestServer.StartAsync(protocols: HttpProtocols.Http2);

        var h2 = await SendOnceAsync(new LoadEndpoint(server.Address), Plan(http: "2"));

        Assert.Equal(ErrorClass.None, h2.Error);
        Assert.Equal(1, server.Protocols["HTTP/2"]);
    }

    [Fact]
    public async Task SendAsync_Http2OverTls_NegotiatedByAlpn_AndHttp11WhenAskedFor()
    {
        var mesh = TestCertificates.Create("mesh-ca");
        await using var server = await LoadTestServer.StartAsync(serverCertificate: mesh.Server());
        var endpoint = new LoadEndpoint(server.Address, new ClientTls(mesh.Client(), mesh.Root));

        var h2 = await SendOnceAsync(endpoint, Plan(http: "2"));
        var h1 = await SendOnceAsync(endpoint, Plan(http: "1.1"));

        Assert.Equal((ErrorClass.None, ErrorClass.None), (h2.Error, h1.Error));
        Assert.Equal(1, server.Protocols["HTTP/2"]);
        Assert.Equal(1, server.Protocols["HTTP/1.1"]);
    }

    [Theory]
    [InlineData("1.1", 3)]
    [InlineData("2", 3)]
    public async Task SendAsync_ManyConcurrentRequests_UseAtMostTheConfiguredConnections(string http, int connections)
    {
        await using var server = await LoadTestServer.StartAsync(protocols: http == "2" ? HttpProtocols.Http2 : HttpProtocols.Http1);
        await using var transport = new HttpTransportFactory().Create(new LoadEndpoint(server.Address), Plan("/slow", http, connections));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => transport.SendAsync(0, 0, CancellationToken.None).AsTask()));

        Assert.All(outcomes, o => Assert.Equal(ErrorClass.None, o.Error));
        Assert.Equal(connections, server.Connections.Count);
    }

    [Fact]
    public async Task SendAsync_Credential_SentAsTheApiKeyHeaderOnlyWhenPresent()
    {
        await using var server = await LoadTestServer.StartAsync();
        var reads = 0;
        var endpoint = new LoadEndpoint(server.Address);

        var withKey = await SendOnceAsync(endpoint, Plan("/echo-key", credential: () => { reads++; return "s3cr3t"; }));
        var nullKey = await SendOnceAsync(endpoint, Plan("/echo-key", credential: () => null));
        var noKey = await SendOnceAsync(endpoint, Plan("/echo-key"));

        Assert.Equal(ErrorClass.None, withKey.Error);
        Assert.Equal(1, reads);
        Assert.Equal(401, nullKey.Status);
        Assert.Equal(401, noKey.Status);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
