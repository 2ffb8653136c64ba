using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using IndexForge.Resilience.Mesh.Config;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace IndexForge.Resilience.Mesh.Security;

/// <summary>
/// A replica's inbound sidecar, as Kestrel connection middleware plus an HTTP middleware:
/// <list type="bullet">
/// <item>STRICT: only TLS 1.2/1.3 with a client certificate chained to the mesh root and carrying a
/// SPIFFE ID; plaintext, no certificate, a foreign CA, an expired certificate, an old protocol are
/// refused at the connection and counted here (the refused client cannot tell us why);</item>
/// <item>PERMISSIVE: the first byte decides — a TLS ClientHello gets the same mTLS handshake, anything
/// else passes as plaintext; DISABLE: plaintext only;</item>
/// <item>authorization: the AuthorizationPolicies of the workload, on the peer's SPIFFE principal,
/// answering 403 "RBAC: access denied" as Envoy's RBAC filter does.</item>
/// </list>
/// The server certificate is read per handshake, so <see cref="RotateCertificate"/> affects new
/// connections only and never breaks one in flight.
/// </summary>
public sealed class MeshInbound
{
    private readonly MeshCertificateAuthority _ca;
    private readonly TimeProvider _time;
    private readonly InboundAuthorization _authorization;
    private ServerCredentials _credentials;

    private MeshInbound(MeshInboundOptions options, MtlsMode mode, IReadOnlyList<AuthorizationPolicy> policies)
    {
        _ca = options.Ca;
        _time = options.Time;
        Workload = options.Workload;
        Namespace = options.Namespace;
        ServiceAccount = options.ServiceAccount;
        Mode = mode;
        _authorization = new InboundAuthorization(policies);
        _credentials = Issue();
    }

    /// <summary>Builds the inbound side of one workload from the mesh configuration's PeerAuthentication and AuthorizationPolicy.</summary>
    public static MeshInbound Create(MeshInboundOptions options)
    {
        var labels = options.Labels;
        var (mode, _) = options.Config.ResolveMtls(options.Namespace, labels);
        if (options.ModeOverride is { } forced) mode = forced;
        return new MeshInbound(options, mode, options.Config.ResolveAuthorization(options.Namespace, labels));
    }

    public string Workload { get; }
    public string Namespace { get; }
    public string ServiceAccount { get; }
    public MtlsMode Mode { get; }
    public InboundStats Stats { get; } = new();
    public int AuthorizationPolicyCount => _authorization.PolicyCount;
    public string SpiffeId => _ca.SpiffeId(Namespace, ServiceAccount);
    public X509Certificate2 Certificate => Volatile.Read(ref _credentials).Certificate;
    /// <summary>The scheme peers should use: https unless mTLS is disabled.</summary>
    public string Scheme => Mode == MtlsMode.Disable ? "http" : "https";

    /// <summary>Issues a new workload certificate; new handshakes use it, established connections keep theirs.</summary>
    public void RotateCertificate() => Volatile.Write(ref _credentials, Issue());

    /// <summary>Makes a Kestrel endpoint this workload's inbound listener (HTTP/1.1, the mTLS mode's TLS handling).</summary>
    public void ConfigureListen(ListenOptions listen)
    {
        listen.Protocols = HttpProtocols.Http1;
        listen.Use(next => context => OnConnectionAsync(context, next));
    }

    /// <summary>
    /// The RBAC check; add it first in the replica's pipeline (app.Use(inbound.AuthorizeAsync)). It also
    /// records every request on the destination side (istio_requests_total{reporter="destination"}).
    /// </summary>
    public async Task AuthorizeAsync(HttpContext context, RequestDelegate next)
    {
        var started = _time.GetTimestamp();
        var peer = context.Features.Get<MeshPeerFeature>();
        var principal = peer?.Principal;
        var allowed = _authorization.Allows(principal, context.Request.Method, context.Request.Path.Value ?? "/");
        Stats.CountRbac(allowed);
        // An exception escaping the application is answered 500 by Kestrel, and that is what the sidecar sees.
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            if (allowed)
            {
                await next(context).ConfigureAwait(false);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync(SecurityConstants.RbacDeniedBody).ConfigureAwait(false);
            }
            status = context.Response.StatusCode;
        }
        finally
        {
            Stats.RecordRequest(status, peer is not null, principal, _time.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private async Task OnConnectionAsync(ConnectionContext context, ConnectionDelegate next)
    {
        if (Mode == MtlsMode.Disable)
        {
            Stats.CountPlaintext();
            await next(context).ConfigureAwait(false);
            return;
        }
        using var timeout = new CancellationTokenSource(SecurityConstants.HandshakeTimeout);
        var hello = await PeekClientHelloAsync(context.Transport.Input, timeout.Token).ConfigureAwait(false);
        if (hello.Kind == HelloKind.Closed) return;
        if (hello.Kind == HelloKind.Plaintext)
        {
            if (Mode == MtlsMode.Strict)
            {
                Stats.CountRefusal(TlsRefusal.Plaintext); // Envoy: no filter chain matches plaintext under STRICT
                return;
            }
            Stats.CountPlaintext();
            await next(context).ConfigureAwait(false);
            return;
        }
        if (hello.MaxVersion < 0x0303)
        {
            Stats.CountRefusal(TlsRefusal.ProtocolVersion); // the client offers nothing newer than TLS 1.1
            return;
        }
        await HandshakeAndServeAsync(context, next, timeout.Token).ConfigureAwait(false);
    }

    private async Task HandshakeAndServeAsync(ConnectionContext context, ConnectionDelegate next, CancellationToken timeout)
    {
        var transport = context.Transport;
        var ssl = new SslStream(new DuplexPipeStream(transport), leaveInnerStreamOpen: false);
        var refusal = TlsRefusal.None;
        string? spiffeId = null;
        var credentials = Volatile.Read(ref _credentials);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = credentials.Context,
            ClientCertificateRequired = true,
            // Session resumption (tickets), as Envoy's listener: the resumed session carries the peer's
            // certificate, and the validation callback below still decides its identity on every connection.
            AllowTlsResume = true,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = MeshTrust.Policy(_ca.Root, _time.GetUtcNow()),
            RemoteCertificateValidationCallback = (_, cert, chain, errors) =>
            {
                refusal = MeshTrust.Verify(cert as X509Certificate2 ?? (cert is null ? null : X509CertificateLoader.LoadCertificate(cert.GetRawCertData())),
                    chain, errors, _ca.Root, _ca.TrustDomain, out spiffeId);
                return refusal == TlsRefusal.None;
            },
        };
        try
        {
            await ssl.AuthenticateAsServerAsync(options, timeout).ConfigureAwait(false);
        }
        catch (Exception)
        {
            Stats.CountRefusal(refusal == TlsRefusal.None ? TlsRefusal.HandshakeFailed : refusal);
            await ssl.DisposeAsync().ConfigureAwait(false);
            return;
        }
        Stats.CountMutualTls();
        var peer = ssl.RemoteCertificate as X509Certificate2;
        context.Features.Set<ITlsConnectionFeature>(new TlsConnectionFeature(peer));
        context.Features.Set(new MeshPeerFeature(spiffeId is null ? null : MeshTrust.Principal(spiffeId), ssl.SslProtocol));
        var input = PipeReader.Create(ssl, new StreamPipeReaderOptions(leaveOpen: true));
        var output = PipeWriter.Create(ssl, new StreamPipeWriterOptions(leaveOpen: true));
        context.Transport = new DuplexPipe(input, output);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.Transport = transport;
            await input.CompleteAsync().ConfigureAwait(false);
            await output.CompleteAsync().ConfigureAwait(false);
            try
            {
                await ssl.ShutdownAsync().ConfigureAwait(false); // close_notify, as Envoy sends
            }
            catch (Exception)
            {
                // the peer is already gone
            }
            await ssl.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Looks at the first bytes without consuming them: a TLS handshake record (0x16) and the ClientHello's version.</summary>
    private static async Task<Hello> PeekClientHelloAsync(PipeReader input, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                if (buffer.Length >= 1 && buffer.FirstSpan[0] != 0x16)
                {
                    input.AdvanceTo(buffer.Start);
                    return new Hello(HelloKind.Plaintext, 0);
                }
                if (buffer.Length >= 11)
                {
                    Span<byte> head = stackalloc byte[11];
                    buffer.Slice(0, 11).CopyTo(head);
                    input.AdvanceTo(buffer.Start);
                    // record header (5) + handshake type (1) + length (3) + client_version (2)
                    return new Hello(head[5] == 0x01 ? HelloKind.Tls : HelloKind.Plaintext, head[9] << 8 | head[10]);
                }
                if (result.IsCompleted || result.IsCanceled)
                {
                    input.AdvanceTo(buffer.Start);
                    return new Hello(HelloKind.Closed, 0);
                }
                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException)
        {
            return new Hello(HelloKind.Closed, 0);
        }
    }

    private ServerCredentials Issue()
    {
        var cert = _ca.IssueWorkload(Namespace, ServiceAccount);
        return new ServerCredentials(cert, SslStreamCertificateContext.Create(cert, additionalCertificates: null, offline: true));
    }

    private enum HelloKind { Closed, Plaintext, Tls }
    private readonly record struct Hello(HelloKind Kind, int MaxVersion);
    private sealed record ServerCredentials(X509Certificate2 Certificate, SslStreamCertificateContext Context);

    private sealed class TlsConnectionFeature(X509Certificate2? certificate) : ITlsConnectionFeature
    {
        public X509Certificate2? ClientCertificate { get; set; } = certificate;
        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }
}

/// <summary>The authenticated peer of an inbound connection: its Istio principal (null over plaintext) and TLS protocol.</summary>
public sealed record MeshPeerFeature(string? Principal, SslProtocols Protocol);

/// <summary>What an inbound sidecar needs: the CA, the mesh configuration and the workload's identity.</summary>
public sealed record MeshInboundOptions
{
    public required MeshCertificateAuthority Ca { get; init; }
    public MeshConfig Config { get; init; } = MeshConfig.Empty;
    public required string Workload { get; init; }
    public string Namespace { get; init; } = MeshConstants.DefaultNamespace;
    public string ServiceAccount { get; init; } = "indexforge-search";
    /// <summary>Pod labels, for PeerAuthentication and AuthorizationPolicy selectors.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>Forces a mode regardless of PeerAuthentication (negative controls).</summary>
    public MtlsMode? ModeOverride { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
