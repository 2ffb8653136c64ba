using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Mesh.Security;

namespace IndexForge.Resilience.Embedded.Faults.Probes;

/// <summary>
/// The probing clients: one raw HTTP/1.1 request over plain TCP or over TLS with a chosen client
/// certificate and protocol — raw, so no HTTP stack retries a refused handshake or hides what came
/// back — and <c>openssl s_client</c> for what .NET cannot offer (TLS 1.0/1.1, weak ciphers).
/// </summary>
internal static class ProbeClients
{
    public static async Task<ProbeExchange> PlaintextAsync(ProbeTarget target, string? credential, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeConstants.Timeout);
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(target.HostName, target.Port, timeout.Token);
        }
        catch (SocketException e)
        {
            return new ProbeExchange(null, $"connect failed: {e.SocketErrorCode}", NeverSent: true);
        }
        return await ExchangeAsync(tcp.GetStream(), credential, timeout.Token, cancellationToken);
    }

    public static async Task<ProbeExchange> TlsAsync(ProbeTarget target, X509Certificate2? clientCertificate, SslProtocols protocols, string? credential,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeConstants.Timeout);
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(target.HostName, target.Port, timeout.Token);
        }
        catch (SocketException e)
        {
            return new ProbeExchange(null, $"connect failed: {e.SocketErrorCode}", NeverSent: true);
        }
        await using var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = ProbeConstants.HostHeader,
                EnabledSslProtocols = protocols,
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate!,
                // The probe asks what the server refuses; whether the probe trusts the server is not the question.
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, timeout.Token);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new ProbeExchange(null, $"handshake failed: {Short(e)}");
        }
        return await ExchangeAsync(ssl, credential, timeout.Token, cancellationToken, $"handshake completed ({ssl.SslProtocol})");
    }

    private static async Task<ProbeExchange> ExchangeAsync(Stream stream, string? credential, CancellationToken timeout, CancellationToken cancellationToken,
        string? handshake = null)
    {
        var request = new StringBuilder()
            .Append("GET ").Append(ProbeConstants.RequestPath).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(ProbeConstants.HostHeader).Append("\r\n")
            .Append("Connection: close\r\n");
        if (credential is not null) request.Append(LoadConstants.CredentialHeader).Append(": ").Append(credential).Append("\r\n");
        request.Append("\r\n");
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), timeout);
            await stream.FlushAsync(timeout);
            var buffer = new byte[256];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), timeout);
                if (n == 0) break;
                read += n;
                if (Array.IndexOf(buffer, (byte)'\n', 0, read) >= 0) break;
            }
            var line = Encoding.ASCII.GetString(buffer, 0, read).Split('\n')[0].Trim();
            if (line.StartsWith("HTTP/1.", StringComparison.Ordinal) && line.Length >= 12 && int.TryParse(line.AsSpan(9, 3), out var status))
                return new ProbeExchange(status, null, Join(handshake, line));
            return new ProbeExchange(null, read == 0 ? "connection closed before a status line" : $"not HTTP: {line[..Math.Min(line.Length, 40)]}", handshake);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new ProbeExchange(null, $"{Short(e)}", handshake);
        }
    }

    /// <summary>
    /// Runs <c>openssl s_client</c> with the mesh caller's certificate (so the only thing under test is
    /// what <paramref name="arguments"/> offers), sends one request after the handshake and reads what came back.
    /// The key file lives in a private temporary directory (0600) removed before returning.
    /// </summary>
    public static Task<ProbeExchange> OpensslAsync(ProbeTarget target, X509Certificate2 clientCertificate, IReadOnlyList<string> arguments,
        CancellationToken cancellationToken) =>
        OpensslAsync(FindOpenssl(), target, clientCertificate, arguments, cancellationToken);

    /// <param name="openssl">The executable; null when it is not installed (the outcome is then unknown, never refused).</param>
    public static async Task<ProbeExchange> OpensslAsync(string? openssl, ProbeTarget target, X509Certificate2 clientCertificate, IReadOnlyList<string> arguments,
        CancellationToken cancellationToken)
    {
        if (openssl is null) return new ProbeExchange(null, "openssl not installed", NeverSent: true);
        var dir = Directory.CreateTempSubdirectory("indexforge-probe-");
        try
        {
            var (cert, key) = MeshCertificateAuthority.WriteWorkload(dir.FullName, "probe", clientCertificate, includePrivateKey: true);
            var psi = new ProcessStartInfo(openssl)
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            foreach (var a in (string[])["s_client", "-connect", $"{target.HostName}:{target.Port}", "-quiet", "-cert", cert, "-key", key!, .. arguments])
                psi.ArgumentList.Add(a);
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("openssl did not start");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.StandardInput.WriteAsync($"GET {ProbeConstants.RequestPath} HTTP/1.1\r\nHost: {ProbeConstants.HostHeader}\r\nConnection: close\r\n\r\n");
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // s_client gave up before reading the request: its output says why
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeConstants.Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true); // our own child, by handle
                await process.WaitForExitAsync(CancellationToken.None);
                if (cancellationToken.IsCancellationRequested) throw;
            }
            var output = await stdout + "\n" + await stderr;
            return ParseOpenssl(process.ExitCode, output);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>A status line means the handshake completed and a request was served; otherwise the most telling error line.</summary>
    public static ProbeExchange ParseOpenssl(int exitCode, string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var statusLine = lines.FirstOrDefault(l => l.StartsWith("HTTP/1.", StringComparison.Ordinal));
        if (statusLine is not null && statusLine.Length >= 12 && int.TryParse(statusLine.AsSpan(9, 3), out var status))
            return new ProbeExchange(status, null, $"openssl: {statusLine}");
        var error = lines.FirstOrDefault(l => l.Contains("alert", StringComparison.OrdinalIgnoreCase) || l.Contains(":error:", StringComparison.Ordinal)
                                              || l.Contains("errno", StringComparison.Ordinal) || l.Contains("no protocols", StringComparison.OrdinalIgnoreCase)
                                              || l.Contains("no cipher", StringComparison.OrdinalIgnoreCase))
                    ?? lines.LastOrDefault() ?? "no output";
        var summary = $"openssl exit {exitCode}: {error[..Math.Min(error.Length, ProbeConstants.MaxSummaryLength)]}";
        // These fail inside the client, before a ClientHello leaves it: nothing was offered to the server.
        var neverSent = error.Contains("no protocols available", StringComparison.OrdinalIgnoreCase)
                        || error.Contains("no cipher match", StringComparison.OrdinalIgnoreCase)
                        || error.Contains("no ciphers available", StringComparison.OrdinalIgnoreCase);
        return neverSent ? new ProbeExchange(null, "client-could-not-offer", summary, NeverSent: true) : new ProbeExchange(null, summary);
    }

    public static string? FindOpenssl()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "openssl");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static string Join(string? a, string b) => a is null ? b : $"{a}; {b}";

    private static string Short(Exception e)
    {
        var inner = e.InnerException is { } i ? $" ({i.GetType().Name}: {i.Message})" : "";
        return $"{e.GetType().Name}: {e.Message}{inner}";
    }
}
