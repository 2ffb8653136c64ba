using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using IndexForge.Resilience.Mesh.Security;

namespace IndexForge.Resilience.Mesh.Pool;

/// <summary>
/// Opens upstream connections the way the caller's sidecar does: TCP within the connect timeout,
/// then (ISTIO_MUTUAL) TLS 1.2/1.3 presenting the caller's current workload certificate and accepting
/// only a server certificate chained to the mesh root with a SPIFFE ID. The TLS handshake is part of
/// connecting, so a refused handshake is a connection failure (Envoy: UF).
/// </summary>
public sealed class UpstreamConnector(MeshCertificateAuthority ca, Func<X509Certificate2> clientCertificate, TimeProvider time)
{
    private SslStreamCertificateContext? _context;
    private X509Certificate2? _contextFor;

    public async ValueTask<Stream> ConnectAsync(UpstreamTarget target, TimeSpan connectTimeout, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(connectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new DnsEndPoint(target.Host, target.Port), timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new UpstreamConnectException(ConnectFailure.Timeout, $"connect to {target.Host}:{target.Port} timed out after {connectTimeout.TotalMilliseconds} ms");
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new UpstreamConnectException(ConnectFailure.Refused, $"connect to {target.Host}:{target.Port} failed: {e.SocketErrorCode}", e);
        }
        var network = new NetworkStream(socket, ownsSocket: true);
        if (!target.Tls) return network;

        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        var refusal = TlsRefusal.None;
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = target.Sni,
                // Resumes the session the upstream issued on an earlier connection, as Envoy's upstream TLS
                // context does: a new connection then costs an abbreviated handshake (docs/mesh.md). .NET keys
                // its client session cache on the SNI and this certificate context, so a rotated workload
                // certificate starts a new session.
                AllowTlsResume = true,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificateContext = ClientContext(),
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                CertificateChainPolicy = MeshTrust.Policy(ca.Root, time.GetUtcNow()),
                RemoteCertificateValidationCallback = (_, cert, chain, errors) =>
                {
                    var serverCert = cert as X509Certificate2 ?? (cert is null ? null : X509CertificateLoader.LoadCertificate(cert.GetRawCertData()));
                    refusal = MeshTrust.Verify(serverCert, chain, errors, ca.Root, ca.TrustDomain, out var spiffeId);
                    if (refusal == TlsRefusal.None && target.ExpectedSpiffeId is { } expected && spiffeId != expected) refusal = TlsRefusal.NoSpiffeId;
                    return refusal == TlsRefusal.None;
                },
            }, timeout.Token).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            var reason = e is OperationCanceledException ? ConnectFailure.Timeout : ConnectFailure.Tls;
            throw new UpstreamConnectException(reason, $"TLS to {target.Host}:{target.Port} failed{(refusal == TlsRefusal.None ? "" : $" ({refusal})")}: {e.Message}", e);
        }
    }

    /// <summary>The certificate context of the current workload certificate; rebuilt only after a rotation.</summary>
    private SslStreamCertificateContext ClientContext()
    {
        var cert = clientCertificate();
        var cached = Volatile.Read(ref _context);
        if (cached is not null && ReferenceEquals(Volatile.Read(ref _contextFor), cert)) return cached;
        var created = SslStreamCertificateContext.Create(cert, additionalCertificates: null, offline: true);
        Volatile.Write(ref _context, created);
        Volatile.Write(ref _contextFor, cert);
        return created;
    }
}

/// <summary>Where and how to connect: TLS with the SNI Istio uses (outbound_.port_._.host) and, optionally, the SPIFFE ID the server must present.</summary>
public sealed record UpstreamTarget(string Host, int Port, bool Tls, string Sni, string? ExpectedSpiffeId);

public enum ConnectFailure { Refused, Timeout, Tls }

/// <summary>A connection that could not be established (Envoy: upstream connect error, flag UF).</summary>
public sealed class UpstreamConnectException(ConnectFailure reason, string message, Exception? inner = null) : Exception(message, inner)
{
    public ConnectFailure Reason { get; } = reason;
}
