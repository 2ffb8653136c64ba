using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IndexForge.Resilience.Reports.Pushgateway;
using IndexForge.Resilience.Reports.Tests.Fixtures;
using IndexForge.Resilience.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace IndexForge.Resilience.Reports.Tests.Pushgateway;

public sealed class PushgatewayPublisherTests
{
    [Fact]
    public async Task PushAsync_RecordedRun_PutsTheExpositionToTheGroup()
    {
        await using var gateway = await RecordingGateway.StartAsync(StatusCodes.Status200OK);
        await new PushgatewayPublisher().PushAsync(RecordedRun.Create(), gateway.Address, CancellationToken.None);

        var push = Assert.Single(gateway.Pushes);
        Assert.Equal("PUT", push.Method);
        Assert.Equal("/metrics/job/indexforge_resilience/suite/nightly/target/embedded", push.Path);
        Assert.StartsWith("text/plain; version=0.0.4", push.ContentType);
        Assert.Contains("indexforge_resilience_run_success 0", push.Body);
        Assert.Contains("indexforge_resilience_run_verdict{verdict=\"error\"} 1", push.Body);
        Assert.Contains("indexforge_resilience_scenario_latency_seconds{scenario=\"outlier-ejection\",control_of=\"\",quantile=\"0.95\"} 0.01194", push.Body);
        Assert.Contains("indexforge_resilience_scenario_requests{scenario=\"outlier-ejection\",control_of=\"\",outcome=\"failed\"} 8", push.Body);
        Assert.Contains("indexforge_resilience_assertion_verdict{scenario=\"outlier-ejection\",control_of=\"\",assertion=\"failed requests under fault\",type=\"threshold\",verdict=\"fail\"} 1", push.Body);
        Assert.Contains("indexforge_resilience_assertion_figure{scenario=\"region-failover\",control_of=\"\",assertion=\"mesh overhead p95\",figure=\"overheadP95Ms\"} 1.3", push.Body);
        Assert.Contains("indexforge_resilience_scenario_saturated{scenario=\"region-failover\",control_of=\"\"} 1", push.Body);
    }

    [Fact]
    public async Task PushAsync_GatewayRefuses_ThrowsWithTheReason()
    {
        await using var gateway = await RecordingGateway.StartAsync(StatusCodes.Status400BadRequest, "pushed metrics are invalid");
        var e = await Assert.ThrowsAsync<PushgatewayException>(() => new PushgatewayPublisher().PushAsync(RecordedRun.Create(), gateway.Address, CancellationToken.None));
        Assert.Contains("400", e.Message);
        Assert.Contains("pushed metrics are invalid", e.Message);
    }

    [Fact]
    public async Task PushAsync_NothingListening_ThrowsPushgatewayException()
    {
        var port = FreePort();
        await Assert.ThrowsAsync<PushgatewayException>(() =>
            new PushgatewayPublisher().PushAsync(RecordedRun.Create(), new Uri($"http://127.0.0.1:{port}/"), CancellationToken.None));
    }

    [Fact]
    public void GroupUri_ValueWithSlashOrEmpty_UsesBase64Form()
    {
        var uri = PushgatewayPublisher.GroupUri(new Uri("http://127.0.0.1:9091/"), "job",
            [new("suite", "nightly/eu"), new("branch", ""), new("target", "k3s")]);
        Assert.Equal("http://127.0.0.1:9091/metrics/job/job/suite@base64/bmlnaHRseS9ldQ/branch@base64/=/target/k3s", uri.AbsoluteUri);
    }

    [Fact]
    public async Task Exposition_SecretInAssertionName_IsRedacted()
    {
        var run = RecordedRun.Create();
        var s = run.Scenarios[0];
        var leaky = run with { Scenarios = [s with { Assertions = [s.Assertions[0] with { Name = "uses hvs.CAESIJlU8sZc2xRbLq0m3vYw9TQxN2Zk" }] }] };
        await using var gateway = await RecordingGateway.StartAsync(StatusCodes.Status200OK);
        await new PushgatewayPublisher().PushAsync(leaky, gateway.Address, CancellationToken.None);
        Assert.DoesNotContain("hvs.CAES", gateway.Pushes.Single().Body);
        Assert.Contains("uses [REDACTED]", gateway.Pushes.Single().Body);
    }

    [RequiresToolFact("prometheus-pushgateway")]
    public async Task PushAsync_RealPushgateway_ServesThePushedFigures()
    {
        var port = FreePort();
        var start = new ProcessStartInfo(Tools.Find("prometheus-pushgateway")!) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var gateway = new Uri($"http://127.0.0.1:{port}/");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (true)
            {
                try { if ((await http.GetAsync(new Uri(gateway, "-/ready"))).IsSuccessStatusCode) break; }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline) { }
                if (DateTime.UtcNow >= deadline) throw new TimeoutException("pushgateway did not become ready");
                await Task.Delay(50);
            }
            await new PushgatewayPublisher().PushAsync(RecordedRun.Create(), gateway, CancellationToken.None);
            var metrics = await http.GetStringAsync(new Uri(gateway, "metrics"));
            Assert.Contains("indexforge_resilience_run_verdict{instance=\"\",job=\"indexforge_resilience\",suite=\"nightly\",target=\"embedded\",verdict=\"error\"} 1", metrics);
            Assert.Contains("indexforge_resilience_scenario_requests{control_of=\"\",instance=\"\",job=\"indexforge_resilience\",outcome=\"completed\",scenario=\"region-failover\",suite=\"nightly\",target=\"embedded\"} 10000", metrics);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>A tiny HTTP endpoint on 127.0.0.1:0 that records every push and answers with a fixed status.</summary>
    private sealed class RecordingGateway : IAsyncDisposable
    {
        private readonly WebApplication _app;
        public List<Push> Pushes { get; } = [];
        public Uri Address { get; private set; } = null!;

        private RecordingGateway(WebApplication app) => _app = app;

        public sealed record Push(string Method, string Path, string? ContentType, string Body);

        public static async Task<RecordingGateway> StartAsync(int status, string reply = "")
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var gateway = new RecordingGateway(app);
            app.Run(async ctx =>
            {
                using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                lock (gateway.Pushes) gateway.Pushes.Add(new Push(ctx.Request.Method, ctx.Request.Path + ctx.Request.QueryString, ctx.Request.ContentType, body));
                ctx.Response.StatusCode = status;
                await ctx.Response.WriteAsync(reply);
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            gateway.Address = new Uri(address + "/");
            return gateway;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
