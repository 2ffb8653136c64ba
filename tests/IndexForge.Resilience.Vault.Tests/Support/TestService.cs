using System.Net;
using IndexForge.Resilience.Vault.Consumption;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IndexForge.Resilience.Vault.Tests.Support;

/// <summary>
/// A minimal stand-in for a sample-service replica: Kestrel on 127.0.0.1:0 answering 200 when the
/// x-indexforge-api-key header passes <see cref="Authorize"/>, 401 otherwise.
/// </summary>
public sealed class TestReplica : IAsyncDisposable
{
    public const string Header = "x-indexforge-api-key";
    private readonly WebApplication _app;

    private TestReplica(string id, WebApplication app, Uri address)
    {
        Id = id;
        _app = app;
        Address = address;
    }

    public string Id { get; }
    public Uri Address { get; }

    /// <summary>Starts a replica that decides with <paramref name="authorize"/> (e.g. a <see cref="SecretCache"/>).</summary>
    public static async Task<TestReplica> StartAsync(string id, Func<string, CancellationToken, ValueTask<bool>> authorize)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(async context =>
        {
            var presented = context.Request.Headers[Header].ToString();
            context.Response.StatusCode = presented.Length > 0 && await authorize(presented, context.RequestAborted) ? 200 : 401;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestReplica(id, app, new Uri(address));
    }

    public static Task<TestReplica> StartAsync(string id, SecretCache cache) =>
        StartAsync(id, (presented, _) => ValueTask.FromResult(cache.IsAccepted(presented)));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request the driver sent: when, to which replica, with which version, what came back (0: no answer).</summary>
public readonly record struct Sample(TimeSpan At, int Replica, int Version, int Status);

/// <summary>
/// A bounded closed-loop load: <c>workers</c> loops sending round-robin to the replicas until the duration ends,
/// each request carrying the caller's current credential. Stops by itself.
/// </summary>
public sealed class LoadDriver
{
    private readonly IReadOnlyList<TestReplica> _replicas;
    private readonly Func<(string Value, int Version)> _credential;
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(5) };

    public LoadDriver(IReadOnlyList<TestReplica> replicas, Func<(string Value, int Version)> credential)
    {
        _replicas = replicas;
        _credential = credential;
    }

    public async Task<IReadOnlyList<Sample>> RunAsync(TimeSpan duration, int workers, CancellationToken cancellationToken = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var next = -1;
        var tasks = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            var samples = new List<Sample>();
            while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
            {
                var replica = (int)((uint)Interlocked.Increment(ref next) % (uint)_replicas.Count);
                var (value, version) = _credential();
                var at = clock.Elapsed;
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_replicas[replica].Address, "/search?q=index"));
                request.Headers.Add(TestReplica.Header, value);
                int status;
                try
                {
                    using var response = await _http.SendAsync(request, cancellationToken);
                    status = (int)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    status = 0;
                }
                samples.Add(new Sample(at, replica, version, status));
            }
            return samples;
        }, CancellationToken.None)).ToList();
        var all = await Task.WhenAll(tasks);
        _http.Dispose();
        return all.SelectMany(s => s).OrderBy(s => s.At).ToList();
    }
}
