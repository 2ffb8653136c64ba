using System.Diagnostics;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Kubernetes.Clusters;
using IndexForge.Resilience.Kubernetes.Kube;
using k8s;
using Testcontainers.K3s;

namespace IndexForge.Resilience.Kubernetes.Targets;

/// <summary>
/// <c>--target k3s</c>: k3s in Docker through Testcontainers (pinned image), the sample-service image
/// built from clusters/k3s/sample-service/Dockerfile and imported into k3s's containerd, Istio from
/// pinned Helm charts (k3s's helm-controller fetches them), then the shared run install. Everything
/// goes away in <see cref="KubernetesTargetBase.DownAsync"/>, also after a failure or Ctrl-C.
/// </summary>
public sealed class K3sTarget(TargetOptions options, Action<string>? progress = null) : KubernetesTargetBase(options, progress)
{
    private K3sContainer? _container;

    public override string Name => TargetNames.K3s;

    /// <summary>Throws <see cref="DockerNotAvailableException"/> (exit code 2) when no Docker engine is configured.</summary>
    public static void EnsureDocker()
    {
        if (TestcontainersSettings.OS.DockerEndpointAuthConfig is null)
            throw new DockerNotAvailableException();
    }

    protected override async Task<IKubernetes> ConnectAsync(TargetRequest request, CancellationToken ct)
    {
        EnsureDocker();
        var problems = Versions.Problems().ToList();
        if (problems.Count > 0) throw new KubernetesTargetException("clusters/versions.yaml: " + string.Join("; ", problems));
        Progress($"starting {Versions.K3s.Image}");
        _container = new K3sBuilder(Versions.K3s.Image)
            .WithName($"indexforge-k3s-{RunNamespaces.LabelValue(request.RunId)}")
            .WithLabel(KubeLabels.RunId, RunNamespaces.LabelValue(request.RunId))
            .Build();
        await _container.StartAsync(ct).ConfigureAwait(false);
        var client = KubeClients.FromKubeconfigText(await _container.GetKubeconfigAsync().ConfigureAwait(false));
        // One node: the caller's region/zone go on it; replicas carry their own locality labels.
        var caller = request.Scenario.Topology.CallerRegion;
        var node = (await client.CoreV1.ListNodeAsync(cancellationToken: ct).ConfigureAwait(false)).Items[0];
        await client.CoreV1.PatchNodeAsync(Patches.Merge(new System.Text.Json.Nodes.JsonObject
        {
            ["metadata"] = new System.Text.Json.Nodes.JsonObject
            {
                ["labels"] = new System.Text.Json.Nodes.JsonObject { [KubeLabels.Region] = caller, [KubeLabels.Zone] = caller + "a" },
            },
        }), node.Metadata.Name, cancellationToken: ct).ConfigureAwait(false);
        return client;
    }

    protected override async Task InstallClusterAsync(IKubernetes client, TargetRequest request, CancellationToken ct)
    {
        Progress($"installing Istio {Versions.Istio.Version} (Helm charts fetched by k3s)");
        var values = new Dictionary<string, string>
        {
            ["ISTIO_REPO"] = Versions.Istio.ChartRepository,
            ["ISTIO_BASE_VERSION"] = Versions.Istio.BaseChartVersion,
            ["ISTIOD_VERSION"] = Versions.Istio.IstiodChartVersion,
        };
        var resources = new ResourceClient(client);
        foreach (var o in ManifestRenderer.Load(Path.Combine(ClustersDir, "k3s", "istio", "helmcharts.yaml"), values))
            await resources.ApplyAsync(o, "kube-system", ct).ConfigureAwait(false);
        var timings = new Faults.KubeTimings { ReadyTimeout = TimeSpan.FromMinutes(10) };
        await Readiness.WaitForDeploymentsAsync(client, "istio-system", "app=istiod", 1, timings, request.Time, Progress, ct).ConfigureAwait(false);
        await Readiness.WaitForDeploymentsAsync(client, "istio-system", "istio=ingressgateway", 1, timings, request.Time, Progress, ct).ConfigureAwait(false);
    }

    protected override Task<string> SampleServiceImageAsync(TargetRequest request, CancellationToken ct) =>
        BuildAndImportAsync(request, "sample-service", "clusters/k3s/sample-service/Dockerfile", ct);

    /// <summary>The harness image for --load-agents, built only when agents are used (clusters/k3s/load-agent/Dockerfile).</summary>
    protected override Task<string> LoadAgentImageAsync(TargetRequest request, CancellationToken ct) =>
        BuildAndImportAsync(request, "resilience-agent", "clusters/k3s/load-agent/Dockerfile", ct);

    private async Task<string> BuildAndImportAsync(TargetRequest request, string name, string dockerfile, CancellationToken ct)
    {
        var tag = $"indexforge/{name}:{RunNamespaces.LabelValue(request.RunId)}";
        Progress($"building {tag}");
        var image = new ImageFromDockerfileBuilder()
            .WithDockerfileDirectory(RepositoryRoot)
            .WithDockerfile(dockerfile)
            .WithBuildArgument("SDK_IMAGE", Versions.Dotnet.SdkImage)
            .WithBuildArgument("RUNTIME_IMAGE", Versions.Dotnet.RuntimeImage)
            .WithName(tag)
            .WithDeleteIfExists(true)
            .Build();
        await image.CreateAsync(ct).ConfigureAwait(false);
        Progress("importing the image into k3s");
        var tar = Path.Combine(request.WorkDirectory, $"{name}.tar");
        await RunAsync("docker", ["save", "-o", tar, tag], ct).ConfigureAwait(false);
        await _container!.CopyAsync(new FileInfo(tar), "/tmp/", ct: ct).ConfigureAwait(false);
        var import = await _container.ExecAsync(["ctr", "-n", "k8s.io", "images", "import", $"/tmp/{name}.tar"], ct).ConfigureAwait(false);
        if (import.ExitCode != 0) throw new KubernetesTargetException($"importing the image into k3s failed: {import.Stderr}");
        File.Delete(tar);
        return $"docker.io/{tag}";
    }

    protected override async Task TeardownClusterAsync(CancellationToken ct)
    {
        var container = Interlocked.Exchange(ref _container, null);
        if (container is null) return;
        Progress("removing the k3s container");
        await container.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new KubernetesTargetException($"cannot start {file}");
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct).ConfigureAwait(false);
        if (p.ExitCode != 0) throw new KubernetesTargetException($"{file} {string.Join(' ', args)} failed: {await stderr.ConfigureAwait(false)}");
    }
}

/// <summary>No Docker engine: the k3s target cannot run here (exit code 2).</summary>
public sealed class DockerNotAvailableException()
    : KubernetesTargetException("Docker is not available: --target k3s needs a Docker engine (DOCKER_HOST or /var/run/docker.sock); use --target embedded or --target kubeconfig");

public sealed class K3sTargetFactory(Action<string>? progress = null) : ITargetFactory
{
    public string Name => TargetNames.K3s;
    public ITarget Create(TargetOptions options) => new K3sTarget(options, progress);
}
