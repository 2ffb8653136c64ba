using IndexForge.Resilience.Mesh.Config;
using IndexForge.Resilience.Mesh.Pool;
using IndexForge.Resilience.Mesh.Security;
using IndexForge.Resilience.Mesh.Tests.TestSupport;
using Xunit;

namespace IndexForge.Resilience.Mesh.Tests.Pool;

/// <summary>
/// New upstream connections made one after another, as maxRequestsPerConnection makes them: the later
/// ones resume the TLS session (docs/mesh.md), and every connection, resumed or not, still carries the
/// caller's identity to the replica's RBAC and destination metrics.
/// </summary>
public sealed class UpstreamConnectorTests : IAsyncLifetime
{
    private readonly MeshCertificateAuthority _ca = MeshCertificateAuthority.Create();
    private TestReplica _replica = null!;

    public async Task InitializeAsync() => _replica = await TestReplica.StartAsync("connector-1", "127.0.0.36", _ca, mode: MtlsMode.Strict);

    public async Task DisposeAsync()
    {
        await _replica.DisposeAsync();
        _ca.Dispose();
    }

    private HttpMessageInvoker Client(Func<System.Security.Cryptography.X509Certificates.X509Certificate2> certificate)
    {
        var connector = new UpstreamConnector(_ca, certificate, TimeProvider.System);
        var target = new UpstreamTarget(_replica.Address.Host, _replica.Address.Port, Tls: true, "outbound_.8080_._.indexforge-search.indexforge.svc.cluster.local",
            _replica.Inbound!.SpiffeId);
        return new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (_, ct) => await connector.ConnectAsync(target, TimeSpan.FromSeconds(5), ct),
        });
    }

    private static async Task SendOnANewConnectionAsync(HttpMessageInvoker client, Uri address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address, "/search?q=x"));
        request.Headers.ConnectionClose = true; // the next request needs a new connection (and handshake)
        using var response = await client.SendAsync(request, CancellationToken.None);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task NewConnections_EachCarryTheCallersPrincipal()
    {
        using var caller = _ca.IssueWorkload("indexforge", "indexforge-loadgen");
        using var client = Client(() => caller);

        for (var i = 0; i < 5; i++) await SendOnANewConnectionAsync(client, _replica.Address);

        var stats = _replica.Inbound!.Stats;
        Assert.Equal(5, stats.MutualTlsConnections);
        var series = Assert.Single(stats.Requests);
        Assert.Equal(new InboundRequestKey(200, true, "cluster.local/ns/indexforge/sa/indexforge-loadgen"), series.Key);
        Assert.Equal(5, series.Value.Count);
    }

    [Fact]
    public async Task RotatedCallerCertificate_NextConnectionPresentsTheNewIdentity()
    {
        // The session cache is keyed on the certificate: a resumed session must never carry the old identity.
        using var before = _ca.IssueWorkload("indexforge", "indexforge-loadgen");
        using var after = _ca.IssueWorkload("indexforge", "indexforge-gateway");
        var current = before;
        using var client = Client(() => Volatile.Read(ref current));

        await SendOnANewConnectionAsync(client, _replica.Address);
        await SendOnANewConnectionAsync(client, _replica.Address);
        Volatile.Write(ref current, after);
        await SendOnANewConnectionAsync(client, _replica.Address);

        var byPrincipal = _replica.Inbound!.Stats.Requests.ToDictionary(r => r.Key.Principal!, r => r.Value.Count);
        Assert.Equal(2, byPrincipal["cluster.local/ns/indexforge/sa/indexforge-loadgen"]);
        Assert.Equal(1, byPrincipal["cluster.local/ns/indexforge/sa/indexforge-gateway"]);
    }
}
