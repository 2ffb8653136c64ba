using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Kubernetes.Kube;
using k8s;

namespace IndexForge.Resilience.Kubernetes.Targets;

/// <summary>
/// <c>--target kubeconfig --kubeconfig FILE [--context C]</c>: an existing cluster that already runs
/// Istio (staging). Everything the run creates lives in its own labelled namespace with an expiry;
/// the namespace guard refuses any change outside it. The sample-service image must be pullable
/// by the cluster: <c>Extra["image"]</c> (CLI: pass it through TargetOptions.Extra).
/// </summary>
public sealed class KubeconfigTarget(TargetOptions options, Action<string>? progress = null) : KubernetesTargetBase(options, progress)
{
    public const string ImageKey = "image";

    public override string Name => TargetNames.Kubeconfig;

    protected override Task<IKubernetes> ConnectAsync(TargetRequest request, CancellationToken ct)
    {
        var path = Options.Kubeconfig ?? throw new KubernetesTargetException("--target kubeconfig needs --kubeconfig FILE");
        return Task.FromResult(KubeClients.FromKubeconfigFile(path, Options.Context));
    }

    protected override Task<string> SampleServiceImageAsync(TargetRequest request, CancellationToken ct) =>
        Task.FromResult(Options.Extra.TryGetValue(ImageKey, out var image) && image.Length > 0
            ? image
            : throw new KubernetesTargetException("--target kubeconfig needs the sample-service image the cluster can pull (TargetOptions.Extra[\"image\"])"));
}

public sealed class KubeconfigTargetFactory(Action<string>? progress = null) : ITargetFactory
{
    public string Name => TargetNames.Kubeconfig;
    public ITarget Create(TargetOptions options) => new KubeconfigTarget(options, progress);
}
