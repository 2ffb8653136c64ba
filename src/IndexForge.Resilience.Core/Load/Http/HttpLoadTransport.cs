using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using IndexForge.Resilience.Core.Load.Recording;
using IndexForge.Resilience.Core.Load.Sending;
using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Core.Load.Http;

/// <summary>
/// HTTP/2 (and, on request, HTTP/1.1) over <see cref="SocketsHttpHandler"/>. HTTP/2 multiplexes
/// over <see cref="LoadSpec.Connections"/> handlers of one connection each (h2 over TLS through
/// ALPN, h2c by prior knowledge over cleartext); HTTP/1.1 shares one pool of that many
/// connections. Requests are built from templates made once; the body is drained, not kept.
/// </summary>
internal sealed class HttpLoadTransport : ILoadTransport
{
    private readonly HttpMessageInvoker[] _invokers;
    private readonly Template[] _templates;
    private readonly Version _version;
    private readonly Func<string?>? _credential;
    private int _nextInvoker;

    public HttpLoadTransport(LoadEndpoint endpoint, LoadPlan plan)
    {
        var spec = plan.Spec;
        _version = spec.Http == "2" ? HttpVersion.Version20 : HttpVersion.Version11;
        _credential = plan.Credential;
        _templates = [.. spec.Requests.Select(r => new Template(r, endpoint.BaseAddress))];
        var handlers = _version == HttpVersion.Version20 ? spec.Connections : 1;
        var perHandler = _version == HttpVersion.Version20 ? 1 : spec.Connections;
        _invokers = new HttpMessageInvoker[handlers];
        for (var i = 0; i < handlers; i++) _invokers[i] = new HttpMessageInvoker(CreateHandler(endpoint.Tls, perHandler, spec.Timeout), disposeHandler: true);
    }

    internal static SocketsHttpHandler CreateHandler(ClientTls? tls, int connections, TimeSpan connectTimeout)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            EnableMultipleHttp2Connections = false,
            ConnectTimeout = connectTimeout,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            // No trace headers: the generator must send exactly the declared requests, and it saves work per request.
            ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
        };
        if (tls is not null)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [tls.ClientCertificate],
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => ChainsTo(tls.TrustedRoot, certificate, chain, errors),
            };
        }
        return handler;
    }

    /// <summary>
    /// The server chain must build to the workload trust root alone (no system roots). Mesh
    /// certificates name SPIFFE identities, not host names, so a name mismatch is not an error here.
    /// </summary>
    internal static bool ChainsTo(X509Certificate2 root, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<SendOutcome> SendAsync(int request, long intended, CancellationToken cancellationToken)
    {
        var template = _templates[request];
        var invoker = _invokers.Length == 1 ? _invokers[0] : _invokers[(int)((uint)Interlocked.Increment(ref _nextInvoker) % (uint)_invokers.Length)];
        using var message = new HttpRequestMessage(template.Method, template.Uri)
        {
            Version = _version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        template.Apply(message);
        if (_credential?.Invoke() is { } credential) message.Headers.TryAddWithoutValidation(LoadConstants.CredentialHeader, credential);
        HttpResponseMessage response;
        try
        {
            response = await invoker.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return new SendOutcome(0, ErrorClassifier.Classify(e, cancellationToken));
        }
        using (response)
        {
            try
            {
                // Drain so the connection can carry the next request; CopyToAsync rents its buffer.
                await response.Content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                return new SendOutcome((int)response.StatusCode, ErrorClassifier.Classify(e, cancellationToken));
            }
            return ErrorClassifier.FromResponse(response);
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var invoker in _invokers) invoker.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class Template
    {
        private readonly byte[]? _body;
        private readonly string? _contentType;
        private readonly KeyValuePair<string, string>[] _headers;

        public Template(RequestSpec spec, Uri baseAddress)
        {
            Method = HttpMethod.Parse(spec.Method);
            Uri = new Uri(baseAddress, spec.Path);
            _body = spec.Body is null ? null : System.Text.Encoding.UTF8.GetBytes(spec.Body);
            _contentType = spec.ContentType ?? (spec.Body is null ? null : "application/json");
            _headers = [.. spec.Headers];
        }

        public HttpMethod Method { get; }

        public Uri Uri { get; }

        public void Apply(HttpRequestMessage message)
        {
            foreach (var (name, value) in _headers) message.Headers.TryAddWithoutValidation(name, value);
            if (_body is null) return;
            var content = new ByteArrayContent(_body);
            if (_contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", _contentType);
            message.Content = content;
        }
    }
}

/// <summary>HTTP/1.1 over our own connection pool (<see cref="Http1Transport"/>); HTTP/2 over SocketsHttpHandler.</summary>
internal sealed class HttpTransportFactory : ILoadTransportFactory
{
    public ILoadTransport Create(LoadEndpoint endpoint, LoadPlan plan) =>
        plan.Spec.Http == "2" ? new HttpLoadTransport(endpoint, plan) : new Http1Transport(endpoint, plan);
}
