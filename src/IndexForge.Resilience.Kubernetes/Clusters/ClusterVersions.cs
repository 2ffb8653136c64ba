using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace IndexForge.Resilience.Kubernetes.Clusters;

/// <summary>clusters/versions.yaml: every image, chart and tool version the Kubernetes targets install.</summary>
public sealed record ClusterVersions
{
    public K3sVersions K3s { get; init; } = new();
    public IstioVersions Istio { get; init; } = new();
    public ImageVersion Vault { get; init; } = new();
    public ImageVersion Prometheus { get; init; } = new();
    public ImageVersion Probe { get; init; } = new();
    /// <summary>The TLS probes' image: needs openssl (s_client), curl, sh and timeout.</summary>
    public ImageVersion TlsProbe { get; init; } = new();
    /// <summary>The harness image (clusters/k3s/load-agent/Dockerfile) the kubeconfig target's load agents run by default.</summary>
    public ImageVersion LoadAgent { get; init; } = new();
    public DotnetVersions Dotnet { get; init; } = new();

    public static ClusterVersions Load(string path)
    {
        var yaml = File.ReadAllText(path);
        var versions = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build().Deserialize<ClusterVersions>(yaml)
            ?? throw new InvalidDataException($"{path} is empty");
        var errors = versions.Problems().ToList();
        return errors.Count == 0 ? versions : throw new InvalidDataException($"{path}: {string.Join("; ", errors)}");
    }

    /// <summary>Every unpinned or missing version; "latest" and untagged images are refused.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, image) in new[]
                 {
                     ("k3s.image", K3s.Image), ("vault.image", Vault.Image), ("prometheus.image", Prometheus.Image),
                     ("probe.image", Probe.Image), ("tlsProbe.image", TlsProbe.Image), ("loadAgent.image", LoadAgent.Image), ("dotnet.sdkImage", Dotnet.SdkImage), ("dotnet.runtimeImage", Dotnet.RuntimeImage),
                 })
        {
            var tag = image.Contains('@') ? "digest" : image.LastIndexOf(':') > image.LastIndexOf('/') ? image[(image.LastIndexOf(':') + 1)..] : "";
            if (image.Length == 0) yield return $"{name} is missing";
            else if (tag.Length == 0 || tag == "latest") yield return $"{name} '{image}' is not pinned (name a tag or digest, never latest)";
        }
        foreach (var (name, v) in new[] { ("istio.version", Istio.Version), ("istio.baseChartVersion", Istio.BaseChartVersion), ("istio.istiodChartVersion", Istio.IstiodChartVersion) })
        {
            if (v.Length == 0 || v == "latest" || !char.IsDigit(v[0])) yield return $"{name} '{v}' is not a pinned version";
        }
        if (Istio.ChartRepository.Length == 0) yield return "istio.chartRepository is missing";
    }
}

public sealed record K3sVersions { public string Image { get; init; } = ""; }

public sealed record IstioVersions
{
    public string Version { get; init; } = "";
    public string ChartRepository { get; init; } = "";
    public string BaseChartVersion { get; init; } = "";
    public string IstiodChartVersion { get; init; } = "";
}

public sealed record ImageVersion { public string Image { get; init; } = ""; }

public sealed record DotnetVersions
{
    public string SdkImage { get; init; } = "";
    public string RuntimeImage { get; init; } = "";
}
