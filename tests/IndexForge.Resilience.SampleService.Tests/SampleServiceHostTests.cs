using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using IndexForge.Resilience.SampleService;
using IndexForge.Resilience.SampleService.Chaos;
using Xunit;

namespace IndexForge.Resilience.SampleService.Tests;

public class SampleServiceHostTests
{
    private static Task<SampleServiceHost> Start(ICredentialValidator? credentials = null, int seed = 1) =>
        SampleServiceHost.StartAsync(new SampleServiceOptions
        {
            ReplicaId = "us-west-2", Region = "us-west", Zone = "us-westb",
            BindAddress = IPAddress.Parse("127.0.0.1"), Credentials = credentials, Seed = seed,
        }, CancellationToken.None);

    [Fact]
    public async Task Search_AnyResponse_CarriesReplicaIdentity()
    {
        await using var host = await Start();
        using var client = new HttpClient { BaseAddress = host.Address };
        using var response = await client.GetAsync("/search?q=vault");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("us-west-2", response.Headers.GetValues(SampleServiceHeaders.Replica).Single());
        Assert.Equal("us-west", response.Headers.GetValues(SampleServiceHeaders.Region).Single());
        Assert.Equal("us-westb", response.Headers.GetValues(SampleServiceHeaders.Zone).Single());
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Vault keeps IndexForge secrets", body);
    }

    [Fact]
    public async Task Documents_PostThenSearch_FindsTheDocument()
    {
        await using var host = await Start();
        using var client = new HttpClient { BaseAddress = host.Address };
        using var created = await client.PostAsJsonAsync("/documents", new { id = "42", text = "failover drill tonight" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var found = await client.GetStringAsync("/search?q=drill");
        Assert.Contains("\"42\"", found);
        using var bad = await client.PostAsync("/documents", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/documents/nope")).StatusCode);
    }

    [Fact]
    public async Task ControlChaos_FullErrorRate_AnswersThatStatusUntilCleared()
    {
        await using var host = await Start();
        using var client = new HttpClient { BaseAddress = host.Address };
        using var put = await client.PutAsJsonAsync("/control/chaos", new { errorRate = 1.0, statusCode = 503 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/search?q=x")).StatusCode);
        // Health and control stay reachable: chaos applies to the API only.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        await client.DeleteAsync("/control/chaos");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/search?q=x")).StatusCode);
    }

    [Fact]
    public async Task ControlChaos_HalfErrorRate_FailsAboutHalf()
    {
        await using var host = await Start(seed: 7);
        host.Chaos.Settings = new ChaosSettings { ErrorRate = 0.5, StatusCode = 500 };
        using var client = new HttpClient { BaseAddress = host.Address };
        var failed = 0;
        for (var i = 0; i < 200; i++) if ((await client.GetAsync("/search?q=x")).StatusCode == HttpStatusCode.InternalServerError) failed++;
        Assert.InRange(failed, 70, 130);
    }

    [Fact]
    public async Task ControlChaos_InvalidSettings_AreRejected()
    {
        await using var host = await Start();
        using var client = new HttpClient { BaseAddress = host.Address };
        using var put = await client.PutAsJsonAsync("/control/chaos", new { errorRate = 2.0 });
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.False(host.Chaos.Settings.IsActive);
    }

    [Fact]
    public async Task ControlLatency_DelaysApiRequests()
    {
        await using var host = await Start();
        host.Chaos.Settings = new ChaosSettings { LatencyMs = 150, LatencyRate = 1.0 };
        using var client = new HttpClient { BaseAddress = host.Address };
        var started = System.Diagnostics.Stopwatch.StartNew();
        await client.GetAsync("/search?q=x");
        Assert.True(started.ElapsedMilliseconds >= 140, $"took {started.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task StopThenStart_RefusesWhileStoppedAndComesBackOnTheSameAddress()
    {
        await using var host = await Start();
        var address = host.Address;
        await host.StopAsync(CancellationToken.None);
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/healthz"));
        Assert.Equal(SocketError.ConnectionRefused, (e.InnerException as SocketException)?.SocketErrorCode);
        await host.StartAsync(CancellationToken.None);
        Assert.Equal(address, host.Address);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Credentials_Required_RejectWrongOrMissingKeyButNotHealth()
    {
        var validator = new FixedCredential("right", 3);
        await using var host = await Start(validator);
        using var client = new HttpClient { BaseAddress = host.Address };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/search?q=x")).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/search?q=x") { Headers = { { SampleServiceHeaders.ApiKey, "wrong" } } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrong)).StatusCode);
        using var right = new HttpRequestMessage(HttpMethod.Get, "/search?q=x") { Headers = { { SampleServiceHeaders.ApiKey, "right" } } };
        using var ok = await client.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("3", ok.Headers.GetValues(SampleServiceHeaders.SecretVersion).Single());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        var secret = await client.GetStringAsync("/control/secret");
        Assert.Contains("\"version\":3", secret);
        Assert.DoesNotContain("right", secret); // the value never leaves the replica
    }

    private sealed class FixedCredential(string value, int version) : ICredentialValidator
    {
        public bool Accepts(string presented) => presented == value;
        public int? CurrentVersion => version;
        public IReadOnlyList<int> AcceptedVersions => [version];
        public TimeSpan Staleness => TimeSpan.Zero;
        public string? LastError => null;
    }
}
