using IndexForge.Resilience.Vault.Client;
using IndexForge.Resilience.Vault.Consumption;
using IndexForge.Resilience.Vault.Rotation;
using IndexForge.Resilience.Vault.Server.Auth;
using IndexForge.Resilience.Vault.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace IndexForge.Resilience.Vault.Tests.Consumption;

/// <summary>
/// The rotation protocol end to end on real time: three replicas with their own SecretCache, a caller with a
/// CallerCredentialSource, steady load, and the plan's rotation job in the middle. Real time (about 4 s per test)
/// because the property under test is a race between real HTTP reads of Vault and real requests; the intervals
/// are scaled down (refresh 200 ms, adopt after 1.5 s, overlap 4 s) so the protocol's inequalities hold with margin
/// even on a busy machine; the rotation's own verification shows the replicas' real pick-up time.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class RotationUnderLoadTests(ITestOutputHelper output)
{
    private const string Path = "indexforge/api-key";
    private static readonly TimeSpan ReplicaRefresh = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan AdoptAfter = TimeSpan.FromMilliseconds(1500);
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan LoadDuration = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan RotateAt = TimeSpan.FromSeconds(1);

    private sealed record Outcome(IReadOnlyList<Sample> Samples, RotationResult Rotation);

    private async Task<Outcome> RunAsync(TimeSpan overlap)
    {
        await using var vault = await VaultFixture.StartAsync();
        var root = vault.RootClient();
        await root.WriteSecretAsync(Path, new Dictionary<string, string> { ["api-key"] = SecretRotationJob.GenerateCredential(32) });
        var serviceToken = vault.Server.CreateToken(VaultPolicy.KvData("indexforge-read", "indexforge/", VaultCapabilities.Read));

        var caches = new List<SecretCache>();
        var replicas = new List<TestReplica>();
        try
        {
            foreach (var id in new[] { "us-west-1", "us-west-2", "us-east-1" })
            {
                var cache = new SecretCache(vault.Client(serviceToken), new SecretCacheOptions { Path = Path, RefreshInterval = ReplicaRefresh, Overlap = overlap });
                await cache.StartAsync();
                caches.Add(cache);
                replicas.Add(await TestReplica.StartAsync(id, cache));
            }
            await using var caller = new CallerCredentialSource(vault.Client(serviceToken), new CallerCredentialOptions { Path = Path, RefreshInterval = TimeSpan.FromMilliseconds(100), AdoptAfter = AdoptAfter });
            await caller.StartAsync();

            var job = new SecretRotationJob(root, new SecretRotationJobOptions { Path = Path, VerifyWithin = TimeSpan.FromSeconds(2), VerifyPollInterval = TimeSpan.FromMilliseconds(20) });
            var load = new LoadDriver(replicas, () => (caller.Current, caller.CurrentVersion)).RunAsync(LoadDuration, workers: 4);
            await Task.Delay(RotateAt);
            var rotation = await job.RotateAsync(_ => Task.FromResult<IReadOnlyDictionary<string, int>>(
                replicas.Zip(caches).ToDictionary(p => p.First.Id, p => p.Second.CurrentVersion)));
            var samples = await load;

            output.WriteLine($"overlap {overlap.TotalMilliseconds} ms: {samples.Count} requests, {samples.Count(s => s.Status != 200)} failed; " +
                $"rotation {(rotation.Succeeded ? "ok" : rotation.Error)} all replicas after {rotation.AllReplicasAfter?.TotalMilliseconds:0} ms");
            return new Outcome(samples, rotation);
        }
        finally
        {
            foreach (var replica in replicas) await replica.DisposeAsync();
            foreach (var cache in caches) await cache.DisposeAsync();
        }
    }

    [Fact]
    public async Task Rotation_WithOverlap_CostsZeroFailedRequests()
    {
        var outcome = await RunAsync(Overlap);

        Assert.True(outcome.Rotation.Succeeded, outcome.Rotation.Error);
        Assert.True(outcome.Rotation.Verified);
        Assert.InRange(outcome.Rotation.AllReplicasAfter!.Value, TimeSpan.Zero, AdoptAfter);
        // The load really ran across the rotation: plenty of requests with each version.
        Assert.True(outcome.Samples.Count(s => s.Version == 1) > 50, "too few requests before the rotation");
        Assert.True(outcome.Samples.Count(s => s.Version == 2) > 50, "too few requests after the rotation");
        AssertNoFailures(outcome.Samples);
    }

    [Fact]
    public async Task Rotation_WithoutOverlap_FailsRequests()
    {
        // Negative control: replicas drop the previous version the moment they see the new one, while callers
        // still present it until their adoption delay has passed.
        var outcome = await RunAsync(TimeSpan.Zero);

        Assert.True(outcome.Rotation.Succeeded, outcome.Rotation.Error);
        var failed = outcome.Samples.Where(s => s.Status != 200).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, s =>
        {
            Assert.Equal(401, s.Status);
            Assert.Equal(1, s.Version);
        });
        Assert.InRange(failed.Max(s => s.At) - failed.Min(s => s.At), TimeSpan.Zero, AdoptAfter + TimeSpan.FromMilliseconds(500));
    }

    private static void AssertNoFailures(IReadOnlyList<Sample> samples)
    {
        var failed = samples.Where(s => s.Status != 200).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {samples.Count} requests failed, the first: {failed.FirstOrDefault()}");
    }
}
