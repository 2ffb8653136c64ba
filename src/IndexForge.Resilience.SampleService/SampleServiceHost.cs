using System.Net;
using IndexForge.Resilience.SampleService.Api;
using IndexForge.Resilience.SampleService.Chaos;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IndexForge.Resilience.SampleService;

/// <summary>
/// One replica of the IndexForge sample service on Kestrel. It can be stopped (a killed process:
/// connections refused) and started again on the same address, as a restarted pod would be.
/// </summary>
public sealed class SampleServiceHost : IAsyncDisposable
{
    private readonly SampleServiceOptions _options;
    private WebApplication? _app;
    private int _port;

    private SampleServiceHost(SampleServiceOptions options)
    {
        _options = options;
        _port = options.Port;
        Index = options.Index ?? DocumentIndex.WithSampleDocuments();
        Chaos = new ChaosPipeline(options.Seed, options.Time);
    }

    public string ReplicaId => _options.ReplicaId;
    public string Region => _options.Region;
    public string Zone => _options.Zone;
    public DocumentIndex Index { get; }
    public ChaosPipeline Chaos { get; }
    public bool IsRunning => _app is not null;
    /// <summary>Scheme, address and port the replica listens on (https when a TLS listener is configured).</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");
    public IPEndPoint EndPoint => new(_options.BindAddress, _port);

    public static async Task<SampleServiceHost> StartAsync(SampleServiceOptions options, CancellationToken cancellationToken)
    {
        var host = new SampleServiceHost(options);
        await host.StartAsync(cancellationToken);
        return host;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) return;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_options.Time);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(_options.BindAddress, _port, listen => _options.ConfigureListener?.Invoke(listen));
        });
        var app = builder.Build();
        SampleApi.Map(app, this, _options);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address);
        _port = uri.Port;
        Address = new UriBuilder(uri.Scheme, _options.BindAddress.ToString(), uri.Port).Uri;
        _app = app;
    }

    /// <summary>Stops listening and drops connections, as a killed process would.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var app = Interlocked.Exchange(ref _app, null);
        if (app is null) return;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(TimeSpan.Zero); // no graceful drain: a kill does not wait for in-flight requests
        try { await app.StopAsync(cts.Token); }
        catch (OperationCanceledException) { }
        await app.DisposeAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);
}
