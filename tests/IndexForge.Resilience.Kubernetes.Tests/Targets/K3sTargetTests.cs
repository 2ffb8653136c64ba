using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Scenarios;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Kubernetes.Kube;
using IndexForge.Resilience.Kubernetes.Targets;
using IndexForge.Resilience.Testing;
using Xunit;

namespace IndexForge.Resilience.Kubernetes.Tests.Targets;

public sealed class K3sTargetTests
{
    private static TargetRequest Request(string work) => new()
    {
        Scenario = new Scenario { Name = "k3s-smoke", Claim = "c", Load = new LoadSpec() },
        MeshConfigDirectory = RepoPaths.Of("clusters", "hardened"),
        RunId = "test-k3s",
        Seed = 1,
        WorkDirectory = work,
    };

    [Fact]
    public async Task UpAsync_NoDocker_ClearErrorWithExitCode2AndDownIsHarmless()
    {
        if (IndexForge.Resilience.Testing.Docker.IsAvailable) return; // checks machines without Docker; the e2e test covers the others
        await using var target = new K3sTargetFactory().Create(new TargetOptions { RepositoryRoot = RepoPaths.Root });

        var e = await Assert.ThrowsAsync<DockerNotAvailableException>(() => target.UpAsync(Request(Path.GetTempPath()), CancellationToken.None));

        Assert.StartsWith("Docker is not available", e.Message);
        Assert.Equal(2, KubernetesTargetException.ExitCode);
        await target.DownAsync(CancellationToken.None);
        await target.DownAsync(CancellationToken.None);
    }

    [Fact]
    public void RequiresDockerFact_RequireDockerSet_DoesNotSkip_UnsetSkipsWithReason()
    {
        var before = Environment.GetEnvironmentVariable("INDEXFORGE_REQUIRE_DOCKER");
        try
        {
            Environment.SetEnvironmentVariable("INDEXFORGE_REQUIRE_DOCKER", "1");
            Assert.Null(new RequiresDockerFactAttribute().Skip);
            Environment.SetEnvironmentVariable("INDEXFORGE_REQUIRE_DOCKER", null);
            Assert.Equal(IndexForge.Resilience.Testing.Docker.IsAvailable ? null : "Docker is not available", new RequiresDockerFactAttribute().Skip);
        }
        finally
        {
            Environment.SetEnvironmentVariable("INDEXFORGE_REQUIRE_DOCKER", before);
        }
    }

    /// <summary>
    /// The real thing: k3s, Istio, Vault, Prometheus and the sample service. Skips without Docker;
    /// with INDEXFORGE_REQUIRE_DOCKER=1 it runs anyway and fails on the DockerNotAvailableException.
    /// </summary>
    [RequiresDockerFact]
    public async Task UpAsync_WithDocker_EnvironmentReadyAndTornDown()
    {
        var work = Directory.CreateTempSubdirectory("indexforge-k3s-").FullName;
        await using var target = new K3sTargetFactory(Console.WriteLine).Create(new TargetOptions { RepositoryRoot = RepoPaths.Root });
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        try
        {
            var env = await target.UpAsync(Request(work), cts.Token);
            Assert.Equal(6, env.Replicas.Count);
            using var http = new HttpClient { BaseAddress = env.EntryPoint };
            var response = await http.GetAsync("search?q=smoke", cts.Token);
            Assert.True(response.Headers.Contains("x-indexforge-replica"));
            var metrics = await target.Metrics.ScrapeAsync(cts.Token);
            Assert.NotEmpty(metrics.Samples);
        }
        finally
        {
            await target.DownAsync(CancellationToken.None);
        }
    }
}
