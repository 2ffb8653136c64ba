using System.Net;
using System.Net.Http.Headers;
using IndexForge.Resilience.Vault.Client;
using IndexForge.Resilience.Vault.Server;

namespace IndexForge.Resilience.Vault.Tests.Support;

/// <summary>An embedded Vault on 127.0.0.1:0 over a temporary storage directory, with clients that trust its CA.</summary>
public sealed class VaultFixture : IAsyncDisposable
{
    private readonly List<IDisposable> _owned = [];

    private VaultFixture(EmbeddedVaultServer server, string directory)
    {
        Server = server;
        Directory = directory;
    }

    public EmbeddedVaultServer Server { get; }
    public string Directory { get; }

    public static async Task<VaultFixture> StartAsync(Func<EmbeddedVaultServerOptions, EmbeddedVaultServerOptions>? configure = null, TimeProvider? time = null)
    {
        var directory = TempDirectory.Create();
        var options = new EmbeddedVaultServerOptions { StorageDirectory = directory };
        if (configure is not null) options = configure(options);
        var server = new EmbeddedVaultServer(options, time);
        await server.StartAsync();
        return new VaultFixture(server, directory);
    }

    /// <summary>Client options with short retry delays, trusting the server's CA.</summary>
    public VaultClientOptions ClientOptions(int maxRetries = 2) => new()
    {
        Address = Server.Address,
        CaCertificate = Server.CaCertificate,
        MaxRetries = maxRetries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        RetryMaxDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromSeconds(5),
    };

    public VaultClient Client(VaultToken? token = null, int maxRetries = 2, HttpMessageHandler? handler = null)
    {
        var client = new VaultClient(ClientOptions(maxRetries), token ?? Server.RootToken, handler);
        _owned.Add(client);
        return client;
    }

    public VaultClient RootClient() => Client(Server.RootToken);

    /// <summary>A TLS handler trusting only this server's CA, for wrapping (counting, capturing).</summary>
    public SocketsHttpHandler TrustingHandler()
    {
        var handler = new SocketsHttpHandler();
        if (Server.CaCertificate is { } ca) handler.SslOptions.RemoteCertificateValidationCallback = VaultTls.TrustOnly(ca);
        _owned.Add(handler);
        return handler;
    }

    /// <summary>A raw HttpClient on /v1/ for checking exact shapes; sends <paramref name="token"/> when given.</summary>
    public HttpClient Raw(VaultToken? token = null)
    {
        var http = new HttpClient(TrustingHandler(), disposeHandler: false) { BaseAddress = new Uri(Server.Address, "/v1/") };
        if (token is not null) http.DefaultRequestHeaders.Add("X-Vault-Token", token.Reveal());
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _owned.Add(http);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var item in _owned) item.Dispose();
        await Server.DisposeAsync();
        TempDirectory.Delete(Directory);
    }
}

public static class TempDirectory
{
    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "indexforge-vault-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try
        {
            System.IO.Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Counts requests that reach the network and remembers their headers (never their bodies).</summary>
public sealed class RecordingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private int _count;
    public int Count => Volatile.Read(ref _count);
    public List<(HttpMethod Method, string Path, Dictionary<string, string> Headers)> Requests { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        lock (Requests)
            Requests.Add((request.Method, request.RequestUri!.PathAndQuery, request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase)));
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Answers from a script, one entry per attempt, for retry-policy tests without a server.</summary>
public sealed class ScriptedHandler(params Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>[] script) : HttpMessageHandler
{
    private int _index;
    public int Calls => Volatile.Read(ref _index);

    public static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Status(int status, string body) =>
        (_, _) => Task.FromResult(new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") });

    public static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Throws(HttpRequestError error) =>
        (_, _) => Task.FromException<HttpResponseMessage>(new HttpRequestException(error, "scripted failure"));

    public static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Hangs() =>
        async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var i = Interlocked.Increment(ref _index) - 1;
        if (i >= script.Length) throw new InvalidOperationException($"the script has {script.Length} answers; attempt {i + 1} was not expected");
        return script[i](request, cancellationToken);
    }
}
