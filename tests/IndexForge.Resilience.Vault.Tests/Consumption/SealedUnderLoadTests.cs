using IndexForge.Resilience.Vault.Client;
using IndexForge.Resilience.Vault.Consumption;
using IndexForge.Resilience.Vault.Server.Auth;
using IndexForge.Resilience.Vault.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using Xunit.Abstractions;

namespace IndexForge.Resilience.Vault.Tests.Consumption;

/// <summary>
/// Vault sealed (or stopped) for 30 s while the service is under load. The caches run on a FakeTimeProvider:
/// 30 s of their time pass in 30 steps of 1 s while real load flows, so every refresh in that window really hits
/// the sealed Vault and fails, without the test taking 30 real seconds.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class SealedUnderLoadTests(ITestOutputHelper output)
{
    private const string Path = "indexforge/api-key";

    private sealed record Run(IReadOnlyList<Sample> Samples, SecretCacheStatus DuringOutage, SecretCacheStatus AfterRecovery, TimeSpan OutageStart, TimeSpan OutageEnd);

    private async Task<Run> RunAsync(Func<VaultFixture, Task> outage, Func<VaultFixture, Task> recover, bool perRequestVaultRead = false)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var vault = await VaultFixture.StartAsync();
        await vault.RootClient().WriteSecretAsync(Path, new Dictionary<string, string> { ["api-key"] = "credential-v1" });
        var token = vault.Server.CreateToken(VaultPolicy.KvData("indexforge-read", "indexforge/", VaultCapabilities.Read));
        var client = vault.Client(token, maxRetries: 0);

        await using var cache = new SecretCache(client, new SecretCacheOptions { Path = Path, RefreshInterval = TimeSpan.FromSeconds(5) }, time);
        await cache.StartAsync();
        await using var caller = new CallerCredentialSource(client, new CallerCredentialOptions { Path = Path, RefreshInterval = TimeSpan.FromSeconds(1) }, time);
        await caller.StartAsync();
        await using var replica = perRequestVaultRead
            // Negative control: a service that asks Vault on every request instead of caching.
            ? await TestReplica.StartAsync("no-cache", async (presented, ct) =>
            {
                try
                {
                    return (await client.ReadSecretAsync(Path, null, ct)).GetString("api-key") == presented;
                }
                catch (VaultException)
                {
                    return false;
                }
            })
            : await TestReplica.StartAsync("us-west-1", cache);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var load = new LoadDriver([replica], () => (caller.Current, caller.CurrentVersion)).RunAsync(TimeSpan.FromSeconds(2.5), workers: 2);
        await Task.Delay(300);
        await outage(vault);
        var outageStart = clock.Elapsed;
        for (var second = 0; second < 30; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(40);
        }
        var during = cache.Status;
        var outageEnd = clock.Elapsed;
        await recover(vault);
        time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() => cache.Status.ConsecutiveFailures == 0);
        var samples = await load;
        output.WriteLine($"{samples.Count} requests, {samples.Count(s => s.Status != 200)} failed; during the outage: {during}");
        return new Run(samples, during, cache.Status, outageStart, outageEnd);
    }

    /// <summary>Sent while Vault was out; <paramref name="settle"/> trims the end, where a request sent just before recovery may be answered after it.</summary>
    private static bool InOutage(Sample s, Run run, TimeSpan settle = default) => s.At >= run.OutageStart && s.At <= run.OutageEnd - settle;

    [Fact]
    public async Task Sealed30s_UnderLoad_ServiceAnswersFromCache()
    {
        var run = await RunAsync(v => v.Server.SealAsync(), v => v.Server.UnsealAsync());

        Assert.True(run.Samples.Count(s => InOutage(s, run)) > 50, "too few requests while Vault was sealed");
        AssertNoFailures(run.Samples);
        Assert.True(run.DuringOutage.Staleness >= TimeSpan.FromSeconds(30), $"staleness {run.DuringOutage.Staleness}");
        Assert.StartsWith("VaultSealedException", run.DuringOutage.LastError);
        Assert.True(run.DuringOutage.ConsecutiveFailures >= 5, $"{run.DuringOutage.ConsecutiveFailures} failed refreshes");
        Assert.True(run.AfterRecovery.Staleness < TimeSpan.FromSeconds(5), $"staleness after unseal {run.AfterRecovery.Staleness}");
    }

    [Fact]
    public async Task Stopped30s_UnderLoad_ServiceAnswersFromCache()
    {
        var run = await RunAsync(v => v.Server.StopAsync(), v => v.Server.StartAsync());

        Assert.True(run.Samples.Count(s => InOutage(s, run)) > 50, "too few requests while Vault was down");
        AssertNoFailures(run.Samples);
        Assert.StartsWith("VaultUnavailableException", run.DuringOutage.LastError);
        Assert.True(run.DuringOutage.Staleness >= TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Sealed30s_ServiceWithoutCache_FailsRequests()
    {
        // Negative control for the two tests above: the same outage fails a service that does not cache.
        var run = await RunAsync(v => v.Server.SealAsync(), v => v.Server.UnsealAsync(), perRequestVaultRead: true);

        var inOutage = run.Samples.Where(s => InOutage(s, run, settle: TimeSpan.FromMilliseconds(500))).ToList();
        Assert.NotEmpty(inOutage);
        Assert.All(inOutage, s => Assert.Equal(401, s.Status));
        Assert.Contains(run.Samples, s => s.Status == 200);
    }

    private static void AssertNoFailures(IReadOnlyList<Sample> samples)
    {
        var failed = samples.Where(s => s.Status != 200).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {samples.Count} requests failed, the first: {failed.FirstOrDefault()}");
    }
}
