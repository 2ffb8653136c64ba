using IndexForge.Resilience.Vault.Client;
using IndexForge.Resilience.Vault.Tests.Support;
using Xunit;
using static IndexForge.Resilience.Vault.Tests.Support.ScriptedHandler;

namespace IndexForge.Resilience.Vault.Tests.Client;

/// <summary>The retry policy against scripted answers: what is retried, what is not, and what each becomes.</summary>
public sealed class VaultClientRetryTests
{
    private const string SecretBody = """{"request_id":"r","data":{"data":{"api-key":"v"},"metadata":{"created_time":"2018-03-22T02:24:06.945319214Z","custom_metadata":null,"deletion_time":"","destroyed":false,"version":2}}}""";
    private const string WriteBody = """{"data":{"created_time":"2018-03-22T02:36:43.986212308Z","custom_metadata":null,"deletion_time":"","destroyed":false,"version":3}}""";

    private static VaultClient Client(ScriptedHandler handler, int retries = 3, TimeSpan? attemptTimeout = null) => new(new VaultClientOptions
    {
        Address = new Uri("https://vault.test:8200"),
        MaxRetries = retries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        RetryMaxDelay = TimeSpan.FromMilliseconds(5),
        AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(5),
    }, new VaultToken("hvs.test"), handler);

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task ReadSecretAsync_TransientStatusThenSuccess_Retries(int status)
    {
        var handler = new ScriptedHandler(Status(status, """{"errors":["boom"]}"""), Status(200, SecretBody));
        using var client = Client(handler);

        var secret = await client.ReadSecretAsync("indexforge/api-key");

        Assert.Equal(2, handler.Calls);
        Assert.Equal("v", secret.GetString("api-key"));
        Assert.Equal(new DateTimeOffset(2018, 3, 22, 2, 24, 6, TimeSpan.Zero).AddTicks(9453192), secret.Metadata.CreatedTime);
    }

    [Fact]
    public async Task ReadSecretAsync_503NotSealed_Retries()
    {
        var handler = new ScriptedHandler(Status(503, """{"errors":["local node not active but active cluster node not found"]}"""), Status(200, SecretBody));
        using var client = Client(handler);
        await client.ReadSecretAsync("indexforge/api-key");
        Assert.Equal(2, handler.Calls);
    }

    [Theory]
    [InlineData(400, typeof(VaultRequestException))]
    [InlineData(403, typeof(VaultForbiddenException))]
    [InlineData(404, typeof(VaultNotFoundException))]
    [InlineData(409, typeof(VaultRequestException))]
    public async Task ReadSecretAsync_ClientErrors_AreNotRetried(int status, Type expected)
    {
        var handler = new ScriptedHandler(Status(status, """{"errors":["no"]}"""));
        using var client = Client(handler);

        var e = await Assert.ThrowsAnyAsync<VaultException>(() => client.ReadSecretAsync("indexforge/api-key"));

        Assert.IsType(expected, e);
        Assert.Equal(1, handler.Calls);
        Assert.Equal(status, e.StatusCode);
    }

    [Fact]
    public async Task ReadSecretAsync_Sealed_IsNotRetried()
    {
        var handler = new ScriptedHandler(Status(503, """{"errors":["Vault is sealed"]}"""));
        using var client = Client(handler);
        await Assert.ThrowsAsync<VaultSealedException>(() => client.ReadSecretAsync("indexforge/api-key"));
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task ReadSecretAsync_AlwaysFailing_ThrowsUnavailableAfterRetries()
    {
        var handler = new ScriptedHandler(Status(502, "{}"), Status(502, "{}"), Status(502, "{}"), Status(502, "{}"));
        using var client = Client(handler, retries: 3);

        var e = await Assert.ThrowsAsync<VaultUnavailableException>(() => client.ReadSecretAsync("indexforge/api-key"));

        Assert.Equal(4, handler.Calls);
        Assert.Equal(502, e.StatusCode);
    }

    [Fact]
    public async Task ReadSecretAsync_ConnectionErrors_RetriedThenUnavailable()
    {
        var handler = new ScriptedHandler(Throws(HttpRequestError.ConnectionError), Throws(HttpRequestError.ConnectionError), Throws(HttpRequestError.ConnectionError));
        using var client = Client(handler, retries: 2);

        var e = await Assert.ThrowsAsync<VaultUnavailableException>(() => client.ReadSecretAsync("indexforge/api-key"));

        Assert.Equal(3, handler.Calls);
        Assert.Null(e.StatusCode);
        Assert.IsType<HttpRequestException>(e.InnerException);
    }

    [Fact]
    public async Task ReadSecretAsync_SlowAttempt_TimesOutAndRetries()
    {
        var handler = new ScriptedHandler(Hangs(), Status(200, SecretBody));
        using var client = Client(handler, attemptTimeout: TimeSpan.FromMilliseconds(100));
        await client.ReadSecretAsync("indexforge/api-key");
        Assert.Equal(2, handler.Calls);
    }

    [Fact]
    public async Task ReadSecretAsync_EveryAttemptTimesOut_ThrowsUnavailable()
    {
        var handler = new ScriptedHandler(Hangs(), Hangs());
        using var client = Client(handler, retries: 1, attemptTimeout: TimeSpan.FromMilliseconds(50));
        var e = await Assert.ThrowsAsync<VaultUnavailableException>(() => client.ReadSecretAsync("indexforge/api-key"));
        Assert.Contains("did not answer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadSecretAsync_CallerCancels_ThrowsCancellation()
    {
        var handler = new ScriptedHandler(Hangs());
        using var client = Client(handler);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ReadSecretAsync("indexforge/api-key", cancellationToken: cts.Token));
    }

    [Fact]
    public async Task WriteSecretAsync_500_IsNotRetried()
    {
        // The write may have been applied: a retry could write the secret twice.
        var handler = new ScriptedHandler(Status(500, """{"errors":["internal"]}"""));
        using var client = Client(handler);
        await Assert.ThrowsAsync<VaultUnavailableException>(() => client.WriteSecretAsync("indexforge/api-key", new Dictionary<string, string> { ["k"] = "v" }));
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task WriteSecretAsync_ConnectionRefused_IsRetried()
    {
        var handler = new ScriptedHandler(Throws(HttpRequestError.ConnectionError), Status(200, WriteBody));
        using var client = Client(handler);
        var written = await client.WriteSecretAsync("indexforge/api-key", new Dictionary<string, string> { ["k"] = "v" }, cas: 2);
        Assert.Equal(3, written.Version);
        Assert.Equal(2, handler.Calls);
    }

    [Fact]
    public async Task WriteSecretAsync_Timeout_IsNotRetried()
    {
        var handler = new ScriptedHandler(Hangs());
        using var client = Client(handler, attemptTimeout: TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAsync<VaultUnavailableException>(() => client.WriteSecretAsync("indexforge/api-key", new Dictionary<string, string> { ["k"] = "v" }));
        Assert.Equal(1, handler.Calls);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(429)]
    [InlineData(472)]
    [InlineData(473)]
    [InlineData(501)]
    [InlineData(503)]
    public async Task HealthAsync_AnyHealthCode_IsAnAnswerNotAnException(int status)
    {
        var handler = new ScriptedHandler(Status(status, """{"initialized":true,"sealed":false,"standby":false,"performance_standby":false,"replication_performance_mode":"disabled","replication_dr_mode":"disabled","server_time_utc":1700000000,"version":"1.13.3"}"""));
        using var client = Client(handler);

        var health = await client.HealthAsync();

        Assert.Equal(status, health.StatusCode);
        Assert.Equal(1, handler.Calls);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), health.ServerTime);
    }

    [Fact]
    public async Task ReadSecretAsync_MessageAndToString_HoldNoTokenOrValue()
    {
        var handler = new ScriptedHandler(Status(403, """{"errors":["1 error occurred:\n\t* permission denied\n\n"]}"""), Status(200, SecretBody));
        using var client = Client(handler);

        var e = await Assert.ThrowsAsync<VaultForbiddenException>(() => client.ReadSecretAsync("indexforge/api-key"));
        var secret = await client.ReadSecretAsync("indexforge/api-key");

        foreach (var text in new[] { e.Message, e.ToString(), client.ToString(), secret.ToString() })
        {
            Assert.DoesNotContain("hvs.test", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"v\"", text, StringComparison.Ordinal);
        }
    }
}
