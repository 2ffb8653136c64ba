using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Kubernetes.Faults;
using IndexForge.Resilience.Kubernetes.Kube;
using IndexForge.Resilience.Kubernetes.Vault;
using k8s;

namespace IndexForge.Resilience.Kubernetes.Targets;

/// <summary>
/// <c>--target kubeconfig --kubeconfig FILE [--context C]</c>: an existing cluster that already runs
/// Istio (staging). Everything the run creates lives in its own labelled namespace with an expiry;
/// the namespace guard refuses any change outside it. The sample-service image must be pullable
/// by the cluster: <c>Extra["image"]</c> (CLI: <c>--image</c>). With <c>--vault-address</c> (token in
/// VAULT_TOKEN) the run uses the cluster's existing Vault under its own path instead of installing
/// one; vault-seal and vault-outage are then refused before start (never seal a shared Vault).
/// </summary>
public sealed class KubeconfigTarget : KubernetesTargetBase
{
    public const string ImageKey = "image";

    private readonly ExternalVaultOptions? _externalVault;
    private string _runLabel = "";

    public KubeconfigTarget(TargetOptions options, Action<string>? progress = null, Func<string, string?>? environment = null) : base(options, progress)
    {
        _externalVault = ExternalVaultOptions.From(options, environment ?? Environment.GetEnvironmentVariable);
        SupportedFaults = _externalVault is null
            ? base.SupportedFaults
            : [.. base.SupportedFaults.Where(f => f is not (FaultTypes.VaultSeal or FaultTypes.VaultOutage))];
    }

    public override string Name => TargetNames.Kubeconfig;

    public override IReadOnlyCollection<string> SupportedFaults { get; }

    /// <summary>The existing Vault the run uses, or null when it installs its own.</summary>
    public ExternalVaultOptions? ExternalVault => _externalVault;

    protected override Task<IKubernetes> ConnectAsync(TargetRequest request, CancellationToken ct)
    {
        var path = Options.Kubeconfig ?? throw new KubernetesTargetException("--target kubeconfig needs --kubeconfig FILE");
        return Task.FromResult(KubeClients.FromKubeconfigFile(path, Options.Context));
    }

    protected override Task<string> SampleServiceImageAsync(TargetRequest request, CancellationToken ct) =>
        Task.FromResult(Options.Extra.TryGetValue(ImageKey, out var image) && image.Length > 0
            ? image
            : throw new KubernetesTargetException("--target kubeconfig needs the sample-service image the cluster can pull (TargetOptions.Extra[\"image\"])"));

    protected override VaultAccess CreateVaultAccess(string ns, VaultKvPath secretPath, VaultTlsMaterial tls, TargetRequest request)
    {
        if (_externalVault is not { } v) return base.CreateVaultAccess(ns, secretPath, tls, request);
        _runLabel = RunNamespaces.LabelValue(request.RunId);
        return new VaultAccess
        {
            Namespace = ns, Address = v.Address, ExternalToken = v.Token, CaCertificate = v.Ca,
            SecretPath = Targets.ExternalVault.RunPath(secretPath, _runLabel),
        };
    }

    protected override Task ProvisionVaultAsync(KubeCluster cluster, ResourceClient resources, IReadOnlyDictionary<string, string> values, VaultTlsMaterial tls,
        TargetRequest request, CancellationToken ct) =>
        _externalVault is { } v
            ? Targets.ExternalVault.PrepareAsync(cluster, resources, v, _runLabel, Progress, ct)
            : base.ProvisionVaultAsync(cluster, resources, values, tls, request, ct);

    protected override async Task TeardownClusterAsync(CancellationToken ct)
    {
        if (_externalVault is null || Cluster?.Vault is not { IsExternal: true }) return;
        Progress("deleting the run's path and policy from the existing Vault");
        await Targets.ExternalVault.CleanupAsync(Cluster, _runLabel, ct).ConfigureAwait(false);
    }
}

public sealed class KubeconfigTargetFactory(Action<string>? progress = null) : ITargetFactory
{
    public string Name => TargetNames.Kubeconfig;
    public ITarget Create(TargetOptions options) => new KubeconfigTarget(options, progress);
}
