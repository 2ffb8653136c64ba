using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using IndexForge.Resilience.Testing;

namespace IndexForge.Resilience.Core.Tests.Load.Http;

/// <summary>
/// <c>openssl s_server</c> over TLS 1.2 demanding a client certificate from the given CA: unlike
/// a .NET server, OpenSSL refuses a bad client certificate inside the handshake, with an alert.
/// </summary>
internal sealed class OpenSslServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private OpenSslServer(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public static async Task<OpenSslServer> StartAsync(TestCertificates ca)
    {
        var dir = Directory.CreateTempSubdirectory("indexforge-openssl-").FullName;
        var server = ca.Server();
        await File.WriteAllTextAsync(Path.Combine(dir, "server.pem"), server.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(dir, "server.key"), server.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(Path.Combine(dir, "ca.pem"), ca.Root.ExportCertificatePem());
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var process = Process.Start(new ProcessStartInfo(Tools.Find("openssl")!,
            ["s_server", "-accept", $"127.0.0.1:{port}", "-cert", "server.pem", "-key", "server.key", "-CAfile", "ca.pem",
             "-Verify", "2", "-verify_return_error", "-tls1_2", "-www", "-quiet"])
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(20);
            }
        }
        return new OpenSslServer(process, dir, port);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
