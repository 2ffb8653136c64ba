using System.Globalization;
using System.Text.Json.Nodes;
using IndexForge.Resilience.Vault.Client;
using IndexForge.Resilience.Vault.Rotation;
using IndexForge.Resilience.Vault.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IndexForge.Resilience.Vault.Tests.Rotation;

public sealed class SecretRotationJobTests : IAsyncLifetime
{
    private const string Path = "indexforge/api-key";
    private VaultFixture _vault = null!;
    private VaultClient _root = null!;
    private readonly List<RotationFailure> _alerts = [];

    public async Task InitializeAsync()
    {
        _vault = await VaultFixture.StartAsync();
        _root = _vault.RootClient();
        await _root.WriteSecretAsync(Path, new Dictionary<string, string> { ["api-key"] = "credential-v1" });
    }

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    private SecretRotationJob Job(VaultClient? client = null, TimeSpan? verifyWithin = null, Func<RotationFailure, CancellationToken, Task>? alert = null, TimeProvider? time = null) =>
        new(client ?? _root, new SecretRotationJobOptions
        {
            Path = Path,
            VerifyWithin = verifyWithin ?? TimeSpan.FromSeconds(2),
            VerifyPollInterval = TimeSpan.FromMilliseconds(20),
        }, alert ?? ((failure, _) => { lock (_alerts) _alerts.Add(failure); return Task.CompletedTask; }), time);

    [Fact]
    public async Task RotateAsync_WritesNewRandomVersionWithRotationMetadata()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
        await _root.WriteMetadataAsync(Path, new KvMetadataUpdate { CustomMetadata = new Dictionary<string, string> { ["owner"] = "search" } });

        var result = await Job(time: time).RotateAsync();
        var secret = await _root.ReadSecretAsync(Path);
        var metadata = await _root.ReadMetadataAsync(Path);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(RotationStage.Completed, result.Stage);
        Assert.Equal((1, 2), (result.PreviousVersion, result.NewVersion));
        Assert.Equal(2, secret.Version);
        var credential = secret.GetString("api-key")!;
        Assert.NotEqual("credential-v1", credential);
        Assert.Equal(43, credential.Length); // 32 random bytes, base64url without padding
        Assert.Equal("2026-11-27T10:00:00.000000Z", metadata.CustomMetadata!["rotation_date"]);
        Assert.Equal("2026-12-27T10:00:00.000000Z", metadata.CustomMetadata["next_rotation"]);
        Assert.Equal("search", metadata.CustomMetadata["owner"]);
        Assert.Equal(DateTimeOffset.Parse(metadata.CustomMetadata["rotation_date"], CultureInfo.InvariantCulture) + TimeSpan.FromDays(30),
            DateTimeOffset.Parse(metadata.CustomMetadata["next_rotation"], CultureInfo.InvariantCulture));
        Assert.DoesNotContain(credential, result.ToString(), StringComparison.Ordinal);
        Assert.Empty(_alerts);
    }

    [Fact]
    public async Task RotateAsync_TwiceInARow_GivesDifferentCredentials()
    {
        await Job().RotateAsync();
        var first = (await _root.ReadSecretAsync(Path)).GetString("api-key");
        await Job().RotateAsync();
        var second = (await _root.ReadSecretAsync(Path)).GetString("api-key");
        Assert.NotEqual(first, second);
        Assert.Equal(3, (await _root.ReadMetadataAsync(Path)).CurrentVersion);
    }

    [Fact]
    public async Task RotateAsync_ReplicasCatchUp_IsVerified()
    {
        var calls = 0;
        var result = await Job().RotateAsync(_ =>
        {
            var n = Interlocked.Increment(ref calls);
            IReadOnlyDictionary<string, int> versions = new Dictionary<string, int> { ["us-west-1"] = 2, ["us-east-1"] = n >= 3 ? 2 : 1 };
            return Task.FromResult(versions);
        });

        Assert.True(result.Succeeded, result.Error);
        Assert.True(result.Verified);
        Assert.True(calls >= 3);
        Assert.NotNull(result.AllReplicasAfter);
        Assert.Equal(2, result.ReplicaVersions["us-east-1"]);
        Assert.Empty(_alerts);
    }

    [Fact]
    public async Task RotateAsync_ReplicaNeverCatchesUp_FailsVerificationAndAlerts()
    {
        var result = await Job(verifyWithin: TimeSpan.FromMilliseconds(300)).RotateAsync(_ =>
            Task.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int> { ["us-west-1"] = 2, ["us-east-1"] = 1 }));

        Assert.False(result.Succeeded);
        Assert.Equal(RotationStage.Verify, result.Stage);
        Assert.Equal(2, result.NewVersion);
        Assert.Equal(["us-east-1"], result.LaggingReplicas);
        Assert.Contains("us-east-1=v1", result.Error, StringComparison.Ordinal);
        Assert.Equal(RotationStage.Verify, Assert.Single(_alerts).Stage);
    }

    [Fact]
    public async Task RotateAsync_NoReplicaReports_FailsVerification()
    {
        var result = await Job(verifyWithin: TimeSpan.FromMilliseconds(100)).RotateAsync(_ => Task.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int>()));
        Assert.False(result.Succeeded);
        Assert.Contains("no replica reported", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotateAsync_VaultSealed_ReportsFailureAndAlerts()
    {
        await _vault.Server.SealAsync();

        var result = await Job().RotateAsync();

        Assert.False(result.Succeeded);
        Assert.Equal(RotationStage.ReadCurrent, result.Stage);
        Assert.StartsWith("VaultSealedException", result.Error);
        var alert = Assert.Single(_alerts);
        Assert.Equal(Path, alert.Path);
        Assert.IsType<VaultSealedException>(alert.Exception);
        await _vault.Server.UnsealAsync();
        Assert.Equal(1, (await _root.ReadMetadataAsync(Path)).CurrentVersion);
    }

    [Fact]
    public async Task RotateAsync_VaultStopped_ReportsUnavailable()
    {
        var client = _vault.Client(maxRetries: 1);
        await _vault.Server.StopAsync();

        var result = await Job(client).RotateAsync();

        Assert.False(result.Succeeded);
        Assert.StartsWith("VaultUnavailableException", result.Error);
        Assert.Single(_alerts);
    }

    [Fact]
    public async Task RotateAsync_ConcurrentWriterWinsTheRace_FailsOnCheckAndSet()
    {
        // Another rotation lands between this job's read and its write; check-and-set refuses the second writer.
        var racing = new RacingHandler(_vault.TrustingHandler(), async () =>
            await _root.WriteSecretAsync(Path, new Dictionary<string, string> { ["api-key"] = "other-rotation" }));
        var client = _vault.Client(handler: racing);

        var result = await Job(client).RotateAsync();

        Assert.False(result.Succeeded);
        Assert.Equal(RotationStage.WriteSecret, result.Stage);
        Assert.StartsWith("VaultCasConflictException", result.Error);
        Assert.Equal("other-rotation", (await _root.ReadSecretAsync(Path)).GetString("api-key"));
    }

    [Fact]
    public async Task RotateAsync_AlertThrows_ResultCarriesBothErrors()
    {
        await _vault.Server.SealAsync();
        var result = await Job(alert: (_, _) => throw new InvalidOperationException("pager down")).RotateAsync();
        Assert.False(result.Succeeded);
        Assert.Equal("InvalidOperationException: pager down", result.AlertError);
        Assert.NotNull(result.Error);
    }

    [Fact]
    public async Task RevokePreviousAsync_DestroysTheVersionBeforeCurrent()
    {
        await Job().RotateAsync();

        var revoked = await Job().RevokePreviousAsync();

        Assert.True(revoked.Succeeded, revoked.Error);
        Assert.Equal((1, 2), (revoked.DestroyedVersion, revoked.CurrentVersion));
        var e = await Assert.ThrowsAsync<VaultNotFoundException>(() => _root.ReadSecretAsync(Path, 1));
        Assert.True(e.Version!.Destroyed);
        Assert.Equal(2, (await _root.ReadSecretAsync(Path)).Version);
    }

    [Fact]
    public async Task RevokePreviousAsync_NoPreviousVersion_Fails()
    {
        var revoked = await Job().RevokePreviousAsync();
        Assert.False(revoked.Succeeded);
        Assert.Contains("no live version before v1", revoked.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateCredential_IsRandomBase64Url()
    {
        var values = Enumerable.Range(0, 100).Select(_ => SecretRotationJob.GenerateCredential(32)).ToHashSet();
        Assert.Equal(100, values.Count);
        Assert.All(values, v => Assert.Matches("^[A-Za-z0-9_-]{43}$", v));
    }

    /// <summary>Runs <paramref name="race"/> just before the first KV data write goes out.</summary>
    private sealed class RacingHandler(HttpMessageHandler inner, Func<Task> race) : DelegatingHandler(inner)
    {
        private int _raced;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.Contains("/data/", StringComparison.Ordinal) && Interlocked.Exchange(ref _raced, 1) == 0)
                await race();
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
