using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace IndexForge.Resilience.Vault.Client;

/// <summary>
/// A typed client for Vault's HTTP API (KV v2, sys/health, seal, unseal, init, token lookup), after the API docs.
/// Transient failures (connection errors, attempt timeouts, 500/502/504, a 503 that is not "sealed") are retried
/// with exponential backoff; 400/403/404/409, CAS conflicts and "sealed" are not. A KV write, which is not
/// idempotent, is retried only when Vault surely did not process it (connection refused, 503 before processing).
/// The token goes into the X-Vault-Token header and nowhere else: not into messages, exceptions or ToString.
/// </summary>
public sealed partial class VaultClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");
    private static readonly HttpMethod ListMethod = new("LIST");

    private readonly VaultClientOptions _options;
    private readonly VaultToken? _token;
    private readonly HttpClient _http;
    private readonly bool _ownsHandler;
    private readonly ResiliencePipeline<VaultHttpResult> _idempotent;
    private readonly ResiliencePipeline<VaultHttpResult> _nonIdempotent;
    private readonly ResiliencePipeline<VaultHttpResult> _transportOnly;
    private readonly string _mount;

    /// <param name="token">Null for unauthenticated calls only (health, seal-status, init, unseal).</param>
    /// <param name="handler">Replaces the TLS-configured handler (tests); the caller keeps ownership.</param>
    public VaultClient(VaultClientOptions options, VaultToken? token, HttpMessageHandler? handler = null, TimeProvider? time = null)
    {
        OptionsValidation.ThrowIfInvalid(options, options.Problems());
        _options = options;
        _token = token;
        _mount = options.KvMount.Trim('/');
        _ownsHandler = handler is null;
        _http = new HttpClient(handler ?? CreateHandler(options), disposeHandler: _ownsHandler)
        {
            BaseAddress = new Uri(options.Address!.GetLeftPart(UriPartial.Authority) + "/v1/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _idempotent = BuildPipeline(options, time ?? TimeProvider.System, RetryClass.Idempotent);
        _nonIdempotent = BuildPipeline(options, time ?? TimeProvider.System, RetryClass.NonIdempotent);
        _transportOnly = BuildPipeline(options, time ?? TimeProvider.System, RetryClass.TransportOnly);
    }

    public Uri Address => _options.Address!;

    public override string ToString() => $"VaultClient({Address}{(_options.Namespace is { } ns ? ", namespace " + ns : "")})";

    public void Dispose() => _http.Dispose();

    private static SocketsHttpHandler CreateHandler(VaultClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.AttemptTimeout,
        };
        if (options.CaCertificate is { } root) handler.SslOptions.RemoteCertificateValidationCallback = VaultTls.TrustOnly(root);
        if (options.ClientCertificate is { } client) handler.SslOptions.ClientCertificates = [client];
        return handler;
    }

    /// <summary>Which failures a call may retry.</summary>
    private enum RetryClass
    {
        /// <summary>Reads and writes that can be repeated: every transient failure.</summary>
        Idempotent,
        /// <summary>KV data writes: only failures that prove Vault never processed the request.</summary>
        NonIdempotent,
        /// <summary>sys/health: every status code is an answer; only transport failures retry.</summary>
        TransportOnly,
    }

    private static ResiliencePipeline<VaultHttpResult> BuildPipeline(VaultClientOptions options, TimeProvider time, RetryClass retryClass)
    {
        var builder = new ResiliencePipelineBuilder<VaultHttpResult> { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<VaultHttpResult>
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(retryClass switch
                {
                    RetryClass.NonIdempotent => IsSurelyUnprocessed(args.Outcome),
                    RetryClass.TransportOnly => args.Outcome.Exception is not null && IsTransient(args.Outcome),
                    _ => IsTransient(args.Outcome),
                }),
            });
        }
        builder.AddTimeout(options.AttemptTimeout);
        return builder.Build();
    }

    private static bool IsTransient(Outcome<VaultHttpResult> outcome) => outcome switch
    {
        // A certificate Vault's root does not vouch for will not get better on retry.
        { Exception: HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } } => false,
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Exception: not null } => false,
        { Result: { } r } => r.Status is 500 or 502 or 504 || (r.Status == 503 && !r.IsSealed),
        _ => false,
    };

    private static bool IsSurelyUnprocessed(Outcome<VaultHttpResult> outcome) => outcome switch
    {
        { Exception: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } } => true,
        { Exception: not null } => false,
        { Result: { } r } => r.Status == 503 && !r.IsSealed,
        _ => false,
    };

    /// <summary>Sends one API call through the pipeline and returns the final status and body, or throws <see cref="VaultUnavailableException"/>.</summary>
    private Task<VaultHttpResult> SendAsync(HttpMethod method, string path, JsonNode? body, bool idempotent, CancellationToken cancellationToken, bool authenticated = true) =>
        SendAsync(method, path, body, idempotent ? _idempotent : _nonIdempotent, cancellationToken, authenticated);

    private async Task<VaultHttpResult> SendAsync(HttpMethod method, string path, JsonNode? body, ResiliencePipeline<VaultHttpResult> pipeline, CancellationToken cancellationToken, bool authenticated)
    {
        if (authenticated && _token is null) throw new InvalidOperationException($"{method} /v1/{path} needs a token and this client has none");
        var payload = body?.ToJsonString();
        try
        {
            return await pipeline.ExecuteAsync(async ct =>
            {
                using var request = new HttpRequestMessage(method, path);
                if (authenticated) request.Headers.TryAddWithoutValidation(VaultClientConstants.TokenHeader, _token!.Reveal());
                if (_options.Namespace is { } ns) request.Headers.TryAddWithoutValidation(VaultClientConstants.NamespaceHeader, ns);
                if (payload is not null) request.Content = new StringContent(payload, Encoding.UTF8, JsonMediaType);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                return new VaultHttpResult((int)response.StatusCode, text);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new VaultUnavailableException($"Vault at {Address.GetLeftPart(UriPartial.Authority)} could not be reached for {method} /v1/{path} ({e.HttpRequestError}): {e.Message}", path, null, [], e);
        }
        catch (TimeoutRejectedException e)
        {
            throw new VaultUnavailableException($"Vault did not answer {method} /v1/{path} within {_options.AttemptTimeout.TotalMilliseconds:0} ms", path, null, [], e);
        }
    }

    /// <summary>Maps a non-success answer to its typed exception.</summary>
    private static VaultException Failure(HttpMethod method, string path, VaultHttpResult result, int? casSent = null)
    {
        var errors = result.Errors;
        var m = method.Method;
        return result.Status switch
        {
            403 => new VaultForbiddenException(m, path, errors),
            404 => new VaultNotFoundException(m, path, errors, ParseDeletedVersion(result)),
            503 when result.IsSealed => new VaultSealedException(m, path, errors),
            400 when errors.Any(e => e.Contains(VaultClientConstants.CasMismatchError, StringComparison.Ordinal) || e.Contains(VaultClientConstants.CasRequiredError, StringComparison.Ordinal))
                => new VaultCasConflictException(m, path, errors, casSent),
            >= 500 => new VaultUnavailableException(VaultException.Describe(m, path, result.Status, errors), path, result.Status, errors),
            _ => new VaultRequestException(m, path, result.Status, errors),
        };
    }

    private static KvVersionMetadata? ParseDeletedVersion(VaultHttpResult result)
    {
        // A deleted or destroyed KV v2 version answers 404 with its metadata in the usual envelope.
        try
        {
            return JsonNode.Parse(result.Body)?["data"]?["metadata"] is JsonObject metadata ? ParseVersionMetadata(metadata, null) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Escape(string path) => string.Join('/', path.Trim('/').Split('/').Select(Uri.EscapeDataString));

    /// <summary>Status and body of one answer. The body may hold secret data: never log it or put it in a message.</summary>
    private sealed record VaultHttpResult(int Status, string Body)
    {
        public bool IsSuccess => Status is >= 200 and < 300;

        public IReadOnlyList<string> Errors
        {
            get
            {
                try
                {
                    return JsonNode.Parse(Body)?["errors"] is JsonArray array ? array.Select(e => e?.ToString() ?? "").ToList() : [];
                }
                catch (JsonException)
                {
                    return [];
                }
            }
        }

        public bool IsSealed => Status == 503 && Errors.Any(e => e.Contains(VaultClientConstants.SealedError, StringComparison.OrdinalIgnoreCase));

        public JsonNode Json() => JsonNode.Parse(Body) ?? throw new JsonException("empty answer");

        public override string ToString() => $"VaultHttpResult({Status})";
    }
}
