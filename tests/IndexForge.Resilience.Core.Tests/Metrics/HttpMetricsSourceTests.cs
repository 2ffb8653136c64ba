using IndexForge.Resilience.Core.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IndexForge.Resilience.Core.Tests.Metrics;

public sealed class HttpMetricsSourceTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/a", () => Microsoft.AspNetCore.Http.Results.Text("# TYPE x counter\nx{src=\"a\"} 2\n", "text/plain"));
        _app.MapGet("/b", () => Microsoft.AspNetCore.Http.Results.Text("x{src=\"b\"} 3\ny 1\n", "text/plain"));
        _app.MapGet("/broken", () => Microsoft.AspNetCore.Http.Results.Text("x{src=\"b\" 3\n", "text/plain"));
        _app.MapGet("/down", () => Microsoft.AspNetCore.Http.Results.StatusCode(503));
        await _app.StartAsync();
        _base = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ScrapeAsync_TwoTargets_MergesSamplesAtClockTime()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        using var source = new HttpMetricsSource([new Uri(_base, "/a"), new Uri(_base, "/b")], time: clock);

        var set = await source.ScrapeAsync(CancellationToken.None);

        Assert.Equal(clock.GetUtcNow(), set.At);
        Assert.Equal(5, set.Sum("x"));
        Assert.Equal(2, set.Sum("x", ("src", "a")));
        Assert.Single(set.Named("y"));
    }

    [Fact]
    public async Task ScrapeAsync_InvalidExposition_FailsNamingTheUrl()
    {
        using var source = new HttpMetricsSource(new Uri(_base, "/broken"));
        var e = await Assert.ThrowsAsync<FormatException>(() => source.ScrapeAsync(CancellationToken.None));
        Assert.Contains("/broken", e.Message);
    }

    [Fact]
    public async Task ScrapeAsync_TargetAnswers503_FailsInsteadOfReadingZero()
    {
        using var source = new HttpMetricsSource(new Uri(_base, "/a"), new Uri(_base, "/down"));
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => source.ScrapeAsync(CancellationToken.None));
        Assert.Contains("/down", e.Message);
        Assert.Contains("503", e.Message);
    }
}
