using IndexForge.Resilience.Embedded.Faults.Probes;
using Xunit;

namespace IndexForge.Resilience.Embedded.Tests.Faults.Probes;

[Collection(HardenedCollection.Name)]
public sealed class ProbeVerdictTests(HardenedFixture env)
{
    [Fact]
    public async Task DecideAsync_OpensslMissing_RefusedUnknownNeverTrue()
    {
        var target = ProbeTarget.Resolve(env.Runtime, null);
        var verdict = ProbeVerdict.Begin(target, TimeProvider.System);
        var exchange = await ProbeClients.OpensslAsync(null, target, env.Runtime.Mesh.WorkloadTls.ClientCertificate, ["-tls1_1"], CancellationToken.None);
        var details = await verdict.DecideAsync(exchange, "openssl");

        Assert.Equal("unknown", details["refused"]);
        Assert.Equal("openssl not installed", details["reason"]);
        Assert.Contains("no connection reached the replica", details["evidence"]);
    }

    [Fact]
    public void ParseOpenssl_ClientCouldNotOffer_NeverSent()
    {
        var exchange = ProbeClients.ParseOpenssl(1, "40A7:error:0A0000BF:SSL routines:tls_setup_handshake:no protocols available:../ssl/statem/statem_lib.c:104:\n");
        Assert.True(exchange.NeverSent);
        Assert.Null(exchange.Status);
        Assert.Equal("client-could-not-offer", exchange.ClientError);
    }

    [Fact]
    public void ParseOpenssl_ServedRequest_Status()
    {
        var exchange = ProbeClients.ParseOpenssl(0, "depth=0\nverify error:num=20\nHTTP/1.1 200 OK\ncontent-type: application/json\n");
        Assert.Equal(200, exchange.Status);
        Assert.False(exchange.NeverSent);
    }

    [Fact]
    public void ParseOpenssl_HandshakeAlert_NotSentButNotNeverSent()
    {
        var exchange = ProbeClients.ParseOpenssl(1, "40E7:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:../ssl/record/rec_layer_s3.c:1605:SSL alert number 40\n");
        Assert.Null(exchange.Status);
        Assert.False(exchange.NeverSent);
        Assert.Contains("alert handshake failure", exchange.ClientError);
    }
}
