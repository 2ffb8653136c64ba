using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IndexForge.Resilience.Testing;

namespace IndexForge.Resilience.Reports.Tests.Html;

/// <summary>
/// Opens a page in headless Chromium through the DevTools protocol and reports what it loaded: every
/// request the page made (Network.requestWillBeSent) and each image's naturalWidth after the load event.
/// The browser listens on 127.0.0.1 only and is ended by its PID.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly List<JsonObject> _events = [];
    private int _nextId;

    private HeadlessChromium(Process process, string profile) { _process = process; _profile = profile; }

    public sealed record PageLoad(IReadOnlyList<string> Requests, IReadOnlyList<ImageState> Images, string Title);

    public sealed record ImageState(string Source, int NaturalWidth, bool Complete);

    public static async Task<PageLoad> LoadAsync(string htmlPath)
    {
        await using var browser = await StartAsync();
        return await browser.OpenAsync(new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri);
    }

    private static async Task<HeadlessChromium> StartAsync()
    {
        var profile = Directory.CreateTempSubdirectory("indexforge-chromium-").FullName;
        var start = new ProcessStartInfo(Tools.Find("chromium") ?? "chromium")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", $"--user-data-dir={profile}", "about:blank",
        }) start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new HeadlessChromium(process, profile);
        try
        {
            await browser.ConnectAsync();
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    private async Task ConnectAsync()
    {
        var portFile = Path.Combine(_profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow + Timeout;
        while (!File.Exists(portFile) || new FileInfo(portFile).Length == 0)
        {
            if (_process.HasExited) throw new InvalidOperationException($"chromium exited with {_process.ExitCode}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("chromium did not open its DevTools port");
            await Task.Delay(50);
        }
        var port = int.Parse((await File.ReadAllLinesAsync(portFile))[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using var http = new HttpClient { Timeout = Timeout };
        JsonArray? targets = null;
        while (targets is null || !targets.Any(t => (string?)t?["type"] == "page"))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("chromium has no page target");
            targets = await http.GetFromJsonAsync<JsonArray>($"http://127.0.0.1:{port}/json/list");
            if (targets is null || !targets.Any(t => (string?)t?["type"] == "page")) await Task.Delay(50);
        }
        var page = targets.First(t => (string?)t?["type"] == "page")!;
        using var cts = new CancellationTokenSource(Timeout);
        await _socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), cts.Token);
    }

    private async Task<PageLoad> OpenAsync(string url)
    {
        await CallAsync("Network.enable");
        await CallAsync("Page.enable");
        await CallAsync("Page.navigate", new JsonObject { ["url"] = url });
        await WaitForEventAsync("Page.loadEventFired");
        const string script = "JSON.stringify({title: document.title, images: Array.from(document.images).map(i => ({src: i.src.slice(0, 40), w: i.naturalWidth, c: i.complete}))})";
        var result = await CallAsync("Runtime.evaluate", new JsonObject { ["expression"] = script, ["returnByValue"] = true });
        var value = JsonNode.Parse((string)result["result"]!["value"]!)!;
        var images = value["images"]!.AsArray().Select(i => new ImageState((string)i!["src"]!, (int)i["w"]!, (bool)i["c"]!)).ToList();
        var requests = _events.Where(e => (string?)e["method"] == "Network.requestWillBeSent")
            .Select(e => (string)e["params"]!["request"]!["url"]!).ToList();
        return new PageLoad(requests, images, (string)value["title"]!);
    }

    private async Task<JsonObject> CallAsync(string method, JsonObject? parameters = null)
    {
        var id = ++_nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        using var cts = new CancellationTokenSource(Timeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cts.Token);
        while (true)
        {
            var reply = await ReceiveAsync(cts.Token);
            if ((int?)reply["id"] == id)
                return reply["error"] is { } error ? throw new InvalidOperationException($"{method}: {error.ToJsonString()}") : reply["result"]!.AsObject();
        }
    }

    private async Task WaitForEventAsync(string method)
    {
        using var cts = new CancellationTokenSource(Timeout);
        if (_events.Any(e => (string?)e["method"] == method)) return;
        while ((string?)(await ReceiveAsync(cts.Token))["method"] != method) { }
    }

    private async Task<JsonObject> ReceiveAsync(CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        using var ms = new MemoryStream();
        WebSocketReceiveResult r;
        do
        {
            r = await _socket.ReceiveAsync(buffer, ct);
            ms.Write(buffer, 0, r.Count);
        } while (!r.EndOfMessage);
        var node = JsonNode.Parse(ms.ToArray())!.AsObject();
        if (node["method"] is not null) _events.Add(node);
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException) { }
        _process.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
