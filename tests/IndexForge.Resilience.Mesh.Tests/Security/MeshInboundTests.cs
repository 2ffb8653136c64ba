using System.Net.Sockets;
using System.Security.Authentication;
using IndexForge.Resilience.Mesh.Config;
using IndexForge.Resilience.Mesh.Security;
using IndexForge.Resilience.Mesh.Tests.TestSupport;
using Xunit;

namespace IndexForge.Resilience.Mesh.Tests.Security;

public sealed class MeshInboundTests : IAsyncLifetime
{
    private readonly MeshCertificateAuthority _ca = MeshCertificateAuthority.Create();
    private TestReplica _strict = null!;

    public async Task InitializeAsync() => _strict = await TestReplica.StartAsync("strict-1", "127.0.0.31", _ca, mode: MtlsMode.Strict);

    public async Task DisposeAsync()
    {
        await _strict.DisposeAsync();
        _ca.Dispose();
    }

    private Uri Https(TestReplica r) => new($"https://{r.Address.Authority}/");
    private Uri Http(TestReplica r) => new($"http://{r.Address.Authority}/");

    [Fact]
    public async Task Strict_ValidWorkloadCertificate_Passes()
    {
        using var client = DirectClient.Create(_ca.IssueWorkload("indexforge", "indexforge-loadgen"), _ca.Root);
        var response = await client.GetAsync(Https(_strict));
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("ok from strict-1", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, _strict.Inbound!.Stats.MutualTlsConnections);
        Assert.Equal(0, _strict.Inbound.Stats.RefusedTotal);
    }

    [Fact]
    public async Task Strict_Plaintext_Refused()
    {
        using var client = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(Http(_strict)));
        Assert.True(_strict.Inbound!.Stats.Refused(TlsRefusal.Plaintext) >= 1);
        Assert.Equal(0, _strict.Requests);
    }

    [Fact]
    public async Task Strict_NoClientCertificate_Refused()
    {
        using var client = DirectClient.Create(null, _ca.Root);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(Https(_strict)));
        Assert.True(_strict.Inbound!.Stats.Refused(TlsRefusal.NoCertificate) >= 1);
        Assert.Equal(0, _strict.Requests);
    }

    [Fact]
    public async Task Strict_ForeignCa_Refused()
    {
        using var foreign = MeshCertificateAuthority.Create(commonName: "Foreign CA");
        using var client = DirectClient.Create(foreign.IssueWorkload("indexforge", "indexforge-loadgen"), _ca.Root);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(Https(_strict)));
        Assert.True(_strict.Inbound!.Stats.Refused(TlsRefusal.UntrustedCa) >= 1);
        Assert.Equal(0, _strict.Requests);
    }

    [Fact]
    public async Task Strict_ExpiredCertificate_Refused()
    {
        var now = DateTimeOffset.UtcNow;
        var expired = _ca.Issue(_ca.SpiffeId("indexforge", "indexforge-loadgen"), now.AddDays(-2), now.AddDays(-1));
        using var client = DirectClient.Create(expired, _ca.Root);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(Https(_strict)));
        Assert.True(_strict.Inbound!.Stats.Refused(TlsRefusal.Expired) >= 1);
        Assert.Equal(0, _strict.Requests);
    }

    [Fact]
    public async Task Strict_Tls11ClientHello_Refused()
    {
        // .NET cannot offer TLS 1.1 here (FACTS.md), so send the ClientHello bytes ourselves.
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_strict.Address.Host, _strict.Address.Port);
        await socket.SendAsync(TlsBytes.ClientHello(0x0302));
        var buffer = new byte[256];
        socket.ReceiveTimeout = 5000;
        var read = await socket.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, read); // closed without a ServerHello
        Assert.Equal(1, _strict.Inbound!.Stats.Refused(TlsRefusal.ProtocolVersion));
    }

    [Fact]
    public async Task Strict_Tls12ClientHello_IsNotRefusedForItsVersion()
    {
        // Negative control of the version check: the same hand-made hello offering TLS 1.2 gets a ServerHello.
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_strict.Address.Host, _strict.Address.Port);
        await socket.SendAsync(TlsBytes.ClientHello(0x0303));
        var buffer = new byte[256];
        var read = await socket.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(read > 0);
        Assert.Equal(0x16, buffer[0]); // a handshake record back
        Assert.Equal(0, _strict.Inbound!.Stats.Refused(TlsRefusal.ProtocolVersion));
    }

    [Fact]
    public async Task Permissive_PlaintextAndMutualTls_BothAccepted()
    {
        await using var permissive = await TestReplica.StartAsync("permissive-1", "127.0.0.32", _ca, mode: MtlsMode.Permissive);
        using var plain = new HttpClient();
        using var mtls = DirectClient.Create(_ca.IssueWorkload("indexforge", "indexforge-loadgen"), _ca.Root);

        Assert.Equal(200, (int)(await plain.GetAsync(Http(permissive))).StatusCode);
        Assert.Equal(200, (int)(await mtls.GetAsync(Https(permissive))).StatusCode);
        Assert.Equal(1, permissive.Inbound!.Stats.PlaintextConnections);
        Assert.Equal(1, permissive.Inbound.Stats.MutualTlsConnections);
        // Destination side: the plaintext request has no principal and connection_security_policy "none".
        var requests = permissive.Inbound.Stats.Requests.ToDictionary(r => r.Key, r => r.Value.Count);
        Assert.Equal(1, requests[new InboundRequestKey(200, false, null)]);
        Assert.Equal(1, requests[new InboundRequestKey(200, true, "cluster.local/ns/indexforge/sa/indexforge-loadgen")]);
    }

    [Fact]
    public async Task PeerAuthentication_StrictNamespaceWide_SelectsStrictForTheWorkload()
    {
        var config = IstioConfigLoader.Load([("pa.yaml", """
            apiVersion: security.istio.io/v1beta1
            kind: PeerAuthentication
            metadata: {name: default, namespace: indexforge}
            spec: {mtls: {mode: STRICT}}
            ---
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: legacy, namespace: indexforge}
            spec:
              selector: {matchLabels: {app: legacy}}
              mtls: {mode: PERMISSIVE}
            """)]);
        await using var replica = await TestReplica.StartAsync("pa-1", "127.0.0.33", _ca, config);
        await using var legacy = await TestReplica.StartAsync("pa-2", "127.0.0.34", _ca, config, labels: new Dictionary<string, string> { ["app"] = "legacy" });
        Assert.Equal(MtlsMode.Strict, replica.Inbound!.Mode);
        Assert.Equal(MtlsMode.Permissive, legacy.Inbound!.Mode);
        using var plain = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync(Http(replica)));
        Assert.Equal(200, (int)(await plain.GetAsync(Http(legacy))).StatusCode);
    }

    [Fact]
    public async Task AuthorizationPolicy_UnauthorizedPrincipal_Gets403RbacDenied()
    {
        var config = IstioConfigLoader.Load([("authz.yaml", """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: allow-loadgen, namespace: indexforge}
            spec:
              selector: {matchLabels: {app: indexforge-search}}
              action: ALLOW
              rules:
              - from:
                - source:
                    principals: ["cluster.local/ns/indexforge/sa/indexforge-loadgen"]
            """)]);
        await using var replica = await TestReplica.StartAsync("authz-1", "127.0.0.35", _ca, config, MtlsMode.Strict);
        using var allowed = DirectClient.Create(_ca.IssueWorkload("indexforge", "indexforge-loadgen"), _ca.Root);
        using var intruder = DirectClient.Create(_ca.Issue("spiffe://cluster.local/ns/intruder/sa/default", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1)), _ca.Root);

        Assert.Equal(200, (int)(await allowed.GetAsync(Https(replica))).StatusCode);
        var denied = await intruder.GetAsync(Https(replica));
        Assert.Equal(403, (int)denied.StatusCode);
        Assert.Equal("RBAC: access denied", await denied.Content.ReadAsStringAsync());
        Assert.Equal(1, replica.Inbound!.Stats.RbacDenied);
        Assert.Equal(1, replica.Requests);
        // The destination side records both, the 403 with the intruder's principal (what ServiceMeshAuthFailure counts).
        var requests = replica.Inbound.Stats.Requests.ToDictionary(r => r.Key, r => r.Value.Count);
        Assert.Equal(1, requests[new InboundRequestKey(200, true, "cluster.local/ns/indexforge/sa/indexforge-loadgen")]);
        Assert.Equal(1, requests[new InboundRequestKey(403, true, "cluster.local/ns/intruder/sa/default")]);
        Assert.Equal(2, requests.Count);

        // Negative control: without the policy the intruder's mesh certificate is enough.
        Assert.Equal(200, (int)(await intruder.GetAsync(Https(_strict))).StatusCode);
    }

    [Fact]
    public async Task RotateCertificate_OpenConnectionKeepsWorkingAndNewOnesGetTheNewCertificate()
    {
        var seen = new List<string>();
        using var client = DirectClient.Create(_ca.IssueWorkload("indexforge", "indexforge-loadgen"), _ca.Root, onServerCertificate: c => { lock (seen) seen.Add(c.SerialNumber); });
        Assert.Equal(200, (int)(await client.GetAsync(Https(_strict))).StatusCode);
        var before = _strict.Inbound!.Certificate.SerialNumber;

        _strict.Inbound.RotateCertificate();

        Assert.Equal(200, (int)(await client.GetAsync(Https(_strict))).StatusCode); // same pooled connection
        Assert.Equal([before], seen);
        using var fresh = DirectClient.Create(_ca.IssueWorkload("indexforge", "indexforge-loadgen"), _ca.Root, onServerCertificate: c => { lock (seen) seen.Add(c.SerialNumber); });
        Assert.Equal(200, (int)(await fresh.GetAsync(Https(_strict))).StatusCode);
        Assert.NotEqual(before, seen[^1]);
        Assert.Equal(_strict.Inbound.Certificate.SerialNumber, seen[^1]);
    }

    [Fact]
    public void Issue_WorkloadCertificate_CarriesOnlyTheSpiffeIdentity()
    {
        var cert = _ca.IssueWorkload("indexforge", "indexforge-search");
        Assert.Equal(["spiffe://cluster.local/ns/indexforge/sa/indexforge-search"], MeshTrust.SpiffeIds(cert));
        Assert.True(cert.HasPrivateKey);
        Assert.False(_ca.Root.HasPrivateKey);
        Assert.Equal(TlsRefusal.None, MeshTrust.Verify(cert, _ca.Root, "cluster.local", DateTimeOffset.UtcNow, out var id));
        Assert.Equal("cluster.local/ns/indexforge/sa/indexforge-search", MeshTrust.Principal(id!));
        Assert.Equal(TlsRefusal.NoSpiffeId, MeshTrust.Verify(cert, _ca.Root, "other.domain", DateTimeOffset.UtcNow, out _));
    }
}

/// <summary>Hand-made TLS records for protocol probes .NET cannot make itself.</summary>
internal static class TlsBytes
{
    /// <summary>A minimal ClientHello whose highest version is <paramref name="version"/> (0x0302 = TLS 1.1).</summary>
    public static byte[] ClientHello(int version)
    {
        var body = new List<byte> { (byte)(version >> 8), (byte)version };
        body.AddRange(new byte[32]); // random
        body.Add(0); // session id
        byte[] suites = [0xC0, 0x2B, 0xC0, 0x2F, 0xC0, 0x09, 0xC0, 0x13, 0x00, 0x2F];
        body.AddRange([0, (byte)suites.Length]);
        body.AddRange(suites);
        body.AddRange([1, 0]); // compression: null
        // extensions: supported_groups (secp256r1), ec_point_formats, signature_algorithms (ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256)
        byte[] ext =
        [
            0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17,
            0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,
            0x00, 0x0d, 0x00, 0x06, 0x00, 0x04, 0x04, 0x03, 0x08, 0x04,
        ];
        body.AddRange([(byte)(ext.Length >> 8), (byte)ext.Length]);
        body.AddRange(ext);
        var handshake = new List<byte> { 0x01, 0, (byte)(body.Count >> 8), (byte)body.Count };
        handshake.AddRange(body);
        var record = new List<byte> { 0x16, 0x03, 0x01, (byte)(handshake.Count >> 8), (byte)handshake.Count };
        record.AddRange(handshake);
        return record.ToArray();
    }
}
