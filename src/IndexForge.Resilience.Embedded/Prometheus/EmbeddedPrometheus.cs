using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IndexForge.Resilience.Core.Alerts;
using IndexForge.Resilience.Core.Metrics.PrometheusApi;

namespace IndexForge.Resilience.Embedded.Prometheus;

/// <summary>
/// A real Prometheus (the Debian <c>prometheus</c> binary) for one run: its own temporary directory,
/// 127.0.0.1 on a free port, scrape and evaluation every second over the mesh and Vault metrics and
/// the mesh configuration's alert rules. Stopped by its PID; the directory is deleted. When the binary
/// is missing, <see cref="StartAsync"/> returns no server and an alert source that says so.
/// </summary>
public sealed class EmbeddedPrometheus : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;
    private readonly StringBuilder _log;
    private int _stopped;

    private EmbeddedPrometheus(Process process, string directory, Uri address, StringBuilder log)
    {
        _process = process;
        _directory = directory;
        _log = log;
        Address = address;
        ProcessId = process.Id;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        Api = new PrometheusApiClient(_http);
        Alerts = new PrometheusAlertSource(Api);
    }

    public Uri Address { get; }
    /// <summary>The server's PID, kept after stop so callers can check it is gone.</summary>
    public int ProcessId { get; }
    public PrometheusApiClient Api { get; }
    public IAlertSource Alerts { get; }

    /// <summary>The executable to run, or null when it is not installed.</summary>
    public static string? Find(string? executable)
    {
        if (executable is not null) return File.Exists(executable) ? Path.GetFullPath(executable) : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, EmbeddedPrometheusConstants.ExecutableName);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Starts the server and waits until it is ready; (null, an unavailable source) when prometheus is not installed.</summary>
    public static async Task<(EmbeddedPrometheus? Server, IAlertSource Alerts)> StartAsync(EmbeddedPrometheusOptions options, CancellationToken cancellationToken)
    {
        var executable = Find(options.Executable);
        if (executable is null) return (null, new UnavailableAlertSource(AlertConstants.PrometheusMissing));
        Directory.CreateDirectory(options.WorkDirectory);
        // A fresh name inside the run's work directory, so parallel runs and re-runs never share a TSDB.
        var directory = Path.Combine(Path.GetFullPath(options.WorkDirectory), $"prometheus-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(directory);
        Process? process = null;
        try
        {
            var config = Path.Combine(directory, "prometheus.yml");
            await File.WriteAllTextAsync(config, PrometheusConfig.Render(options, directory), cancellationToken).ConfigureAwait(false);
            var port = FreePort();
            var address = new Uri($"http://127.0.0.1:{port}/");
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
                WorkingDirectory = directory,
            };
            foreach (var a in new[]
            {
                $"--config.file={config}",
                $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                $"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            }) start.ArgumentList.Add(a);
            var log = new StringBuilder();
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
            process.ErrorDataReceived += (_, e) => Append(log, e.Data);
            process.OutputDataReceived += (_, e) => Append(log, e.Data);
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var server = new EmbeddedPrometheus(process, directory, address, log);
            try
            {
                await server.WaitReadyAsync(options.ReadyTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            return (server, server.Alerts);
        }
        catch when (process is null)
        {
            TryDelete(directory);
            throw;
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
                throw new InvalidOperationException($"prometheus exited with code {_process.ExitCode} at start: {Log()}");
            try
            {
                using var response = await _http.GetAsync("-/ready", cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            if (deadline.Elapsed > timeout) throw new TimeoutException($"prometheus was not ready within {timeout.TotalSeconds:0}s: {Log()}");
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What prometheus logged (warnings and errors), for failure messages.</summary>
    public string Log()
    {
        lock (_log) return _log.Length == 0 ? "(nothing logged)" : _log.ToString().Trim();
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is null) return;
        lock (log)
        {
            if (log.Length < 16_000) log.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        _http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                // Only this PID: prometheus has no children, and nothing else may be touched.
                _process.Kill(entireProcessTree: false);
                using var timeout = new CancellationTokenSource(EmbeddedPrometheusConstants.StopTimeout);
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException) { /* already gone */ }
        catch (OperationCanceledException) { /* reported by the directory staying behind */ }
        finally
        {
            _process.Dispose();
            TryDelete(_directory);
        }
    }

    private static void TryDelete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
