using System.Diagnostics;
using IndexForge.Resilience.Mesh.Config;
using IndexForge.Resilience.Mesh.Security;
using IndexForge.Resilience.Mesh.Tests.TestSupport;
using IndexForge.Resilience.Testing;
using Xunit;

namespace IndexForge.Resilience.Mesh.Tests.Security;

/// <summary>`openssl s_client` confirms from outside .NET what the STRICT inbound refuses and accepts.</summary>
public sealed class OpensslProbeTests : IAsyncLifetime
{
    private readonly MeshCertificateAuthority _ca = MeshCertificateAuthority.Create();
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mesh-openssl-" + Guid.NewGuid().ToString("N"));
    private TestReplica _replica = null!;
    private string _root = "";

    public async Task InitializeAsync()
    {
        _replica = await TestReplica.StartAsync("openssl-1", "127.0.0.41", _ca, mode: MtlsMode.Strict);
        _root = _ca.WriteRoot(_dir);
    }

    public async Task DisposeAsync()
    {
        await _replica.DisposeAsync();
        _ca.Dispose();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private (string Cert, string Key) Write(string name, System.Security.Cryptography.X509Certificates.X509Certificate2 cert)
    {
        var (c, k) = MeshCertificateAuthority.WriteWorkload(_dir, name, cert, includePrivateKey: true);
        return (c, k!);
    }

    private const string Get = "GET / HTTP/1.1\r\nHost: indexforge-search\r\nConnection: close\r\n\r\n";

    /// <summary>Runs s_client, sends one HTTP request after the handshake, and returns its exit code and everything it printed.</summary>
    private Task<(int Exit, string Output)> SClientAsync(params string[] arguments) => SClientAsync(quiet: true, arguments);

    /// <summary>As above; not quiet, s_client also prints whether the session was "New" or "Reused" (it still waits for the server to close).</summary>
    private async Task<(int Exit, string Output)> SClientAsync(bool quiet, params string[] arguments)
    {
        var psi = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in (string[])["s_client", "-connect", $"{_replica.Address.Host}:{_replica.Address.Port}", quiet ? "-quiet" : "-ign_eof", .. arguments]) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.StandardInput.WriteAsync(Get);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // s_client already gave up: the refusal is what the test looks for
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private void AssertRefused(string output, TlsRefusal reason)
    {
        // A .NET server checks the client certificate after its side of the TLS 1.2 handshake, so
        // s_client may report a session before the server closes; what matters is that no request is served.
        Assert.DoesNotContain("HTTP/1.1", output);
        Assert.True(_replica.Inbound!.Stats.Refused(reason) == 1, $"{reason}: {string.Join(",", _replica.Inbound.Stats.Refusals)}\n{output}");
        Assert.Equal(0, _replica.Requests);
    }

    [RequiresToolFact("openssl")]
    public async Task SClient_Tls11_Refused()
    {
        var (exit, output) = await SClientAsync("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        Assert.NotEqual(0, exit);
        AssertRefused(output, TlsRefusal.ProtocolVersion);
    }

    [RequiresToolFact("openssl")]
    public async Task SClient_NoClientCertificate_Refused()
    {
        var (_, output) = await SClientAsync("-tls1_2", "-CAfile", _root);
        AssertRefused(output, TlsRefusal.NoCertificate);
    }

    [RequiresToolFact("openssl")]
    public async Task SClient_ForeignCa_Refused()
    {
        using var foreign = MeshCertificateAuthority.Create(commonName: "Foreign CA");
        var (cert, key) = Write("foreign", foreign.IssueWorkload("indexforge", "indexforge-loadgen"));
        var (_, output) = await SClientAsync("-tls1_2", "-cert", cert, "-key", key, "-CAfile", _root);
        AssertRefused(output, TlsRefusal.UntrustedCa);
    }

    [RequiresToolFact("openssl")]
    public async Task SClient_ExpiredCertificate_Refused()
    {
        var now = DateTimeOffset.UtcNow;
        var (cert, key) = Write("expired", _ca.Issue(_ca.SpiffeId("indexforge", "indexforge-loadgen"), now.AddDays(-2), now.AddDays(-1)));
        var (_, output) = await SClientAsync("-tls1_2", "-cert", cert, "-key", key, "-CAfile", _root);
        AssertRefused(output, TlsRefusal.Expired);
    }

    [RequiresToolFact("openssl")]
    public async Task SClient_ValidWorkloadCertificate_GetsAnAnswer()
    {
        var (cert, key) = Write("loadgen", _ca.IssueWorkload("indexforge", "indexforge-loadgen"));
        var (exit, output) = await SClientAsync("-verify_return_error", "-cert", cert, "-key", key, "-CAfile", _root);
        Assert.True(exit == 0, output + string.Join(",", _replica.Inbound!.Stats.Refusals));
        Assert.Contains("HTTP/1.1 200", output);
        Assert.Contains("ok from openssl-1", output);
        Assert.Equal(0, _replica.Inbound!.Stats.RefusedTotal);
    }

    [RequiresToolFact("openssl")]
    public async Task SClient_SecondConnection_ResumesTheSessionAndKeepsThePeerIdentity()
    {
        // Envoy resumes TLS sessions; so does the embedded inbound. The resumed connection must still be
        // served as the same SPIFFE principal (the session carries the client certificate).
        var (cert, key) = Write("loadgen", _ca.IssueWorkload("indexforge", "indexforge-loadgen"));
        var session = Path.Combine(_dir, "session.pem");
        var (exit1, first) = await SClientAsync(false, "-tls1_3", "-verify_return_error", "-cert", cert, "-key", key, "-CAfile", _root, "-sess_out", session);
        var (exit2, second) = await SClientAsync(false, "-tls1_3", "-verify_return_error", "-cert", cert, "-key", key, "-CAfile", _root, "-sess_in", session);

        Assert.True(exit1 == 0 && exit2 == 0, first + second);
        Assert.Contains("New, TLSv1.3", first);
        Assert.Contains("Reused, TLSv1.3", second);
        Assert.Contains("ok from openssl-1", second);
        var series = Assert.Single(_replica.Inbound!.Stats.Requests);
        Assert.Equal(new InboundRequestKey(200, true, "cluster.local/ns/indexforge/sa/indexforge-loadgen"), series.Key);
        Assert.Equal(2, series.Value.Count);
    }
}
