using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace IndexForge.Resilience.Bench.Targets;

/// <summary>
/// Our own nginx: a temporary prefix and config, 127.0.0.1 on a free port, one worker per core,
/// serving the 2-byte body from memory. Stopped by its master's PID (SIGQUIT, then SIGKILL of the
/// tree), never by name.
/// </summary>
public sealed class NginxTarget : IBenchTarget
{
    private const int SigQuit = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private readonly Process _process;
    private readonly string _prefix;

    private NginxTarget(Process process, string prefix, Uri address, string version)
    {
        _process = process;
        _prefix = prefix;
        Address = address;
        Description = $"{version} ({Environment.ProcessorCount} workers, serving {BenchConstants.Body.Length} bytes)";
    }

    public Uri Address { get; }

    public string Description { get; }

    public bool InProcess => false;

    public int Pid => _process.Id;

    public static async Task<NginxTarget> StartAsync(string nginx, CancellationToken cancellationToken)
    {
        var prefix = Directory.CreateTempSubdirectory("indexforge-bench-nginx-").FullName;
        // Bind-and-release finds a free port; nginx takes it a moment later (a collision just fails the start).
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var config = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(config, Config(prefix, port), cancellationToken);
        var info = new ProcessStartInfo(nginx, ["-p", prefix, "-c", config, "-e", Path.Combine(prefix, "error.log")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("nginx did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = new Uri($"http://127.0.0.1:{port}/");
        var target = new NginxTarget(process, prefix, address, await VersionAsync(nginx));
        try
        {
            await target.WaitReadyAsync(cancellationToken);
            return target;
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
    }

    internal static string Config(string prefix, int port) => $$"""
        daemon off;
        master_process on;
        worker_processes {{Environment.ProcessorCount}};
        pid {{prefix}}/nginx.pid;
        error_log {{prefix}}/error.log warn;
        events { worker_connections 8192; }
        http {
            access_log off;
            client_body_temp_path {{prefix}}/client_body;
            proxy_temp_path {{prefix}}/proxy;
            fastcgi_temp_path {{prefix}}/fastcgi;
            uwsgi_temp_path {{prefix}}/uwsgi;
            scgi_temp_path {{prefix}}/scgi;
            keepalive_requests 100000000;
            keepalive_timeout 300s;
            default_type text/plain;
            server {
                listen 127.0.0.1:{{port}} backlog=4096;
                location / { return 200 "{{BenchConstants.Body}}"; }
            }
        }
        """;

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        using var client = new HttpClient();
        while (true)
        {
            if (_process.HasExited)
            {
                var log = Path.Combine(_prefix, "error.log");
                throw new InvalidOperationException("nginx exited at start: " + (File.Exists(log) ? (await File.ReadAllTextAsync(log, cancellationToken)).Trim() : "no log"));
            }
            try
            {
                var body = await client.GetStringAsync(Address, cancellationToken);
                if (body == BenchConstants.Body) return;
            }
            catch (HttpRequestException) when (deadline.Elapsed < StartTimeout)
            {
                await Task.Delay(20, cancellationToken);
            }
        }
    }

    private static async Task<string> VersionAsync(string nginx)
    {
        using var p = Process.Start(new ProcessStartInfo(nginx, ["-v"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var text = (await p.StandardError.ReadToEndAsync()).Trim();
        await p.WaitForExitAsync();
        return text.Replace("nginx version: ", "", StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGQUIT lets the master stop its workers; a plain Kill would orphan them.
            _ = Kill(_process.Id, SigQuit);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_prefix, recursive: true);
        }
        catch (IOException)
        {
            // A worker may still be closing its log; the temp directory is harmless.
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
