using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using IndexForge.Resilience.Vault.Client;
using IndexForge.Resilience.Vault.Server.Auth;
using IndexForge.Resilience.Vault.Server.Http;
using IndexForge.Resilience.Vault.Server.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IndexForge.Resilience.Vault.Server;

/// <summary>
/// A Vault-API-compatible server on Kestrel for the embedded target: KV v2 on <c>secret/</c>, sys/health,
/// seal/unseal, token policies, file storage and Prometheus metrics, with Vault's paths, shapes and codes.
/// The lifecycle methods double as the fault hooks: <see cref="StopAsync"/>/<see cref="StartAsync"/> (the process
/// goes away and comes back: connections are refused meanwhile and it comes back sealed unless auto-unseal),
/// <see cref="SealAsync"/>/<see cref="UnsealAsync"/>, <see cref="Role"/> (standby health codes).
/// The root token and unseal keys live in this object's memory only, never in the storage directory or a log.
/// </summary>
public sealed class EmbeddedVaultServer : IAsyncDisposable
{
    private readonly EmbeddedVaultServerOptions _options;
    private readonly TimeProvider _time;
    private readonly IPAddress _address;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly CertificateAuthority? _ownCa;
    private readonly X509Certificate2? _serverCertificate;
    private WebApplication? _app;
    private VaultCore? _core;
    private int _port;
    private VaultNodeRole _role = VaultNodeRole.Active;
    private Action<Storage.StorageWriteStep, string>? _storageFaultHook;
    private bool _disposed;

    public EmbeddedVaultServer(EmbeddedVaultServerOptions options, TimeProvider? time = null)
    {
        OptionsValidation.ThrowIfInvalid(options, options.Problems());
        _options = options;
        _time = time ?? TimeProvider.System;
        _address = IPAddress.Parse(options.ListenAddress);
        _port = options.Port;
        Initialization = options.ExistingInitialization;
        if (!options.Tls) return;
        if (options.ServerCertificate is not null)
        {
            _serverCertificate = options.ServerCertificate;
            CaCertificate = options.CaCertificate;
        }
        else
        {
            _ownCa = CertificateAuthority.Create("IndexForge embedded Vault CA", _time, EmbeddedVaultServerConstants.CertificateLifetime);
            _serverCertificate = _ownCa.IssueServerCertificate([_address], ["localhost", "vault.indexforge.local"], _time, EmbeddedVaultServerConstants.CertificateLifetime);
            CaCertificate = _ownCa.Certificate;
        }
    }

    /// <summary>The root clients must trust for the TLS listener (null when TLS is off).</summary>
    public X509Certificate2? CaCertificate { get; }

    /// <summary>https://127.0.0.x:port (known after the first start).</summary>
    public Uri Address => _port == 0
        ? throw new InvalidOperationException("the server has not been started")
        : new Uri($"{(_options.Tls ? "https" : "http")}://{_address}:{_port}");

    /// <summary>Unseal keys and root token: for the harness only; never log them.</summary>
    public VaultInitResponse? Initialization { get; private set; }

    public VaultToken RootToken => Initialization?.RootToken ?? throw new InvalidOperationException("the server is not initialized (or was initialized through sys/init by someone else)");

    public bool IsRunning => _app is not null;
    public bool IsInitialized => _core?.IsInitialized ?? false;
    public bool IsSealed => _core?.IsSealed ?? true;
    public string StorageDirectory => Path.GetFullPath(_options.StorageDirectory);

    /// <summary>What sys/health reports: active (200), standby (429) or performance standby (473).</summary>
    public VaultNodeRole Role
    {
        get => _role;
        set
        {
            _role = value;
            if (_core is not null) _core.Role = value;
        }
    }

    /// <summary>The core of the running process (tests reach storage and metrics through it).</summary>
    internal VaultCore Core => _core ?? throw new InvalidOperationException("the server has not been started");

    /// <summary>Test hook: called at each step of every storage write; throwing emulates a crash there.</summary>
    internal Action<Storage.StorageWriteStep, string>? StorageFaultHook
    {
        get => _storageFaultHook;
        set
        {
            _storageFaultHook = value;
            if (_core is not null) _core.Storage.FaultHook = value;
        }
    }

    /// <summary>Starts the process: opens storage, initialises an empty directory (if configured), auto-unseals, listens.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_app is not null) return;
            var core = new VaultCore(_options.StorageDirectory, _time, _options.KvMount) { Role = _role, LastKnownClusterName = _core?.LastKnownClusterName };
            core.Storage.FaultHook = _storageFaultHook;
            if (!core.IsInitialized && _options.Initialize) Initialization = core.Initialize(_options.KeyShares, _options.KeyThreshold, _options.ClusterName);
            _core = core;
            if (_options.AutoUnseal && Initialization is not null) UnsealCore(core);
            _ = core.Cluster;
            _app = await ListenAsync(core, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops the process: the listener closes (new connections are refused), memory state goes (sealed); storage stays.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_app is null) return;
            var app = _app;
            _app = null;
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            _core?.SealNow();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Seals as <c>PUT sys/seal</c> with the root token would.</summary>
    public Task SealAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Core.SealNow();
        return Task.CompletedTask;
    }

    /// <summary>Unseals with the threshold of key shares this server holds.</summary>
    public Task UnsealAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        UnsealCore(Core);
        return Task.CompletedTask;
    }

    /// <summary>Stores <paramref name="policy"/> and creates a token carrying it (plus "default").</summary>
    public VaultToken CreateToken(VaultPolicy policy, TimeSpan ttl = default)
    {
        PutPolicy(policy);
        return Core.Tokens.Create([policy.Name], policy.Name, "auth/token/create", ttl);
    }

    public void PutPolicy(VaultPolicy policy) => Core.Tokens.PutPolicy(policy);

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await StopAsync().ConfigureAwait(false);
        _ownCa?.Dispose();
        _lifecycle.Dispose();
    }

    private void UnsealCore(VaultCore core)
    {
        var init = Initialization ?? throw new InvalidOperationException("no unseal keys are known to this server");
        foreach (var key in init.Keys.Take(core.Seal.Config?.SecretThreshold ?? init.Keys.Count))
        {
            if (!core.IsSealed) break;
            var share = VaultCore.DecodeUnsealKey(key) ?? throw new InvalidOperationException("an unseal key is not hex or base64");
            core.Seal.Submit(share);
        }
        if (core.IsSealed) throw new InvalidOperationException("the known unseal keys did not unseal Vault");
    }

    private async Task<WebApplication> ListenAsync(VaultCore core, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var app = Build(core);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                _port = new Uri(bound).Port;
                return app;
            }
            catch (IOException e) when (_port != 0 && attempt < EmbeddedVaultServerConstants.RebindAttempts && e.InnerException is SocketException or null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
                await Task.Delay(EmbeddedVaultServerConstants.RebindDelay, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await app.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    private WebApplication Build(VaultCore core)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(EmbeddedVaultServer).Assembly.GetName().Name });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = EmbeddedVaultServerConstants.ShutdownTimeout);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(_address, _port, listen =>
            {
                if (_serverCertificate is not null) listen.UseHttps(_serverCertificate);
            });
        });
        var app = builder.Build();
        var handler = new VaultHttpHandler(core, _options.UnauthenticatedMetricsAccess, _options.ClusterName);
        app.Run(handler.HandleAsync);
        return app;
    }
}
