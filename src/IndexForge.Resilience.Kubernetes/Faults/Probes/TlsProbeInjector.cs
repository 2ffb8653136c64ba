using System.Globalization;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Kubernetes.Kube;
using k8s;
using k8s.Models;

namespace IndexForge.Resilience.Kubernetes.Faults.Probes;

/// <summary>
/// Shared shape of the TLS probes on Kubernetes: a short-lived pod <b>outside the mesh</b> (no sidecar,
/// so nothing upgrades its connection to mTLS) in the run namespace, labelled like the run, runs
/// <c>openssl s_client</c> (or curl) against the replica pod's IP and app port — the port the replica's
/// sidecar captures and enforces PeerAuthentication on. A NetworkPolicy made for the probe admits it on
/// that port only, so the handshake, not the plan's NetworkPolicy, is what answers; a client
/// certificate, when the probe needs one, is made here and mounted from a Secret. Policy, Secret and
/// pod are deleted before the probe returns (and undone on failure).
/// </summary>
public abstract class TlsProbeInjector<TOptions>(KubeCluster cluster) : KubeInjector<TOptions>(cluster) where TOptions : FaultOptions
{
    private static int _sequence;

    protected abstract string? ReplicaOf(TOptions options);

    /// <summary>What the probe does, shown in the <c>probe</c> detail.</summary>
    protected abstract string Mechanism(TOptions options);

    /// <summary>The container's command for the replica at <paramref name="address"/> (host:port).</summary>
    protected abstract IList<string> Command(TOptions options, string address);

    /// <summary>A client certificate (PEM chain and key) to mount at <see cref="TlsProbeConstants.CertificateDirectory"/>; none by default.</summary>
    protected virtual ProbeCertificate? Certificate(TOptions options, DateTimeOffset now) => null;

    protected abstract TlsProbeOutcome Decide(TOptions options, int exitCode, string output);

    protected virtual void AddDetails(TOptions options, Dictionary<string, string> details)
    {
    }

    protected override async Task InjectCoreAsync(TOptions options, FaultContext context, UndoLog undo, Dictionary<string, string> details, CancellationToken ct)
    {
        var ns = Cluster.Namespace;
        Cluster.Guard.EnsureOwned(ns, $"run a {Type} pod");
        var (replica, target) = await ProbePods.TargetAsync(Cluster, ReplicaOf(options), ct).ConfigureAwait(false);
        var address = ProbePods.AddressOf(target);
        var runNs = await Cluster.Client.CoreV1.ReadNamespaceAsync(ns, cancellationToken: ct).ConfigureAwait(false);
        var runId = runNs.Metadata.Labels is { } nsLabels && nsLabels.TryGetValue(KubeLabels.RunId, out var id) ? id : "";
        var name = $"{TlsProbeConstants.NamePrefix}-{Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture)}-{context.Random.Next(0x1000, 0xffff):x4}";
        var labels = new Dictionary<string, string>
        {
            [KubeLabels.ManagedBy] = KubeLabels.ManagedByValue, [KubeLabels.RunId] = runId, [KubeLabels.Role] = TlsProbeConstants.Role,
        };

        await Cluster.Client.NetworkingV1.CreateNamespacedNetworkPolicyAsync(Policy(name, ns, labels), ns, cancellationToken: ct).ConfigureAwait(false);
        undo.Add($"delete NetworkPolicy {ns}/{name}", c => Cluster.Client.NetworkingV1.DeleteNamespacedNetworkPolicyAsync(name, ns, cancellationToken: c));
        var certificate = Certificate(options, context.Time.GetUtcNow());
        if (certificate is not null)
        {
            await Cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
            {
                ApiVersion = "v1", Kind = "Secret", Type = "kubernetes.io/tls",
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
                StringData = new Dictionary<string, string> { ["tls.crt"] = certificate.ChainPem, ["tls.key"] = certificate.KeyPem },
            }, ns, cancellationToken: ct).ConfigureAwait(false);
            undo.Add($"delete Secret {ns}/{name}", c => Cluster.Client.CoreV1.DeleteNamespacedSecretAsync(name, ns, cancellationToken: c));
        }

        var (exitCode, output) = await ProbePods.RunAsync(Cluster, Pod(name, ns, labels, Command(options, address), certificate is not null), TlsProbeConstants.ContainerName, ct)
            .ConfigureAwait(false);
        details["target"] = replica;
        details["address"] = address;
        details["probe"] = Mechanism(options);
        details["exitCode"] = exitCode.ToString(CultureInfo.InvariantCulture);
        Decide(options, exitCode, output).WriteTo(details);
        if (certificate is not null) details["clientCertificate"] = certificate.Describe;
        AddDetails(options, details);
        // The probe is instantaneous: what it created goes now, not at revert.
        await undo.UndoAllAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static V1NetworkPolicy Policy(string name, string ns, Dictionary<string, string> labels) => new()
    {
        ApiVersion = "networking.k8s.io/v1", Kind = "NetworkPolicy",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
        Spec = new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [KubeLabels.App] = KubeLabels.AppValue } },
            PolicyTypes = ["Ingress"],
            Ingress =
            [
                new V1NetworkPolicyIngressRule
                {
                    FromProperty = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [KubeLabels.Role] = TlsProbeConstants.Role, ["indexforge.io/probe"] = name } } }],
                    Ports = [new V1NetworkPolicyPort { Protocol = "TCP", Port = KubeConstants.SampleServicePort }],
                },
            ],
        },
    };

    private V1Pod Pod(string name, string ns, Dictionary<string, string> labels, IList<string> command, bool withCertificate) => new()
    {
        ApiVersion = "v1", Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = name, NamespaceProperty = ns,
            // Outside the mesh on purpose: a sidecar would wrap the probe's connection in the mesh's own mTLS.
            Labels = new Dictionary<string, string>(labels) { ["indexforge.io/probe"] = name, [TlsProbeConstants.SidecarInjectLabel] = "false" },
        },
        Spec = new V1PodSpec
        {
            RestartPolicy = "Never",
            AutomountServiceAccountToken = false,
            SecurityContext = new V1PodSecurityContext { FsGroup = 1000, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
            Containers =
            [
                new V1Container
                {
                    Name = TlsProbeConstants.ContainerName,
                    Image = Cluster.TlsProbeImage,
                    Command = command,
                    SecurityContext = ProbePods.Restricted(),
                    VolumeMounts = withCertificate ? [new V1VolumeMount { Name = "client-cert", MountPath = TlsProbeConstants.CertificateDirectory, ReadOnlyProperty = true }] : null,
                },
            ],
            Volumes = withCertificate ? [new V1Volume { Name = "client-cert", Secret = new V1SecretVolumeSource { SecretName = name, DefaultMode = TlsProbeConstants.CertificateFileMode } }] : null,
        },
    };

    /// <summary><c>sh -c</c>: one HTTP/1.1 request through <c>openssl s_client -msg</c> to <paramref name="address"/>, bounded by <c>timeout</c>.</summary>
    protected static IList<string> Openssl(string address, IEnumerable<string> arguments, bool withCertificate)
    {
        var cert = withCertificate ? $" -cert {TlsProbeConstants.CertificateDirectory}/tls.crt -key {TlsProbeConstants.CertificateDirectory}/tls.key" : "";
        var script = $"printf 'GET {TlsProbeConstants.RequestPath} HTTP/1.1\\r\\nHost: {TlsProbeConstants.HostHeader}\\r\\nConnection: close\\r\\n\\r\\n' | "
                     + $"timeout {TlsProbeConstants.TimeoutSeconds} openssl s_client -connect {address} -msg -quiet{cert} {string.Join(' ', arguments)} 2>&1";
        return ["sh", "-c", script];
    }
}

/// <summary>A probe's client certificate: the chain and key as PEM (the key is the probe's own, thrown away with the Secret).</summary>
public sealed record ProbeCertificate(string ChainPem, string KeyPem, string Describe);

public static class TlsProbeConstants
{
    public const string NamePrefix = "tls-probe";
    public const string Role = "tls-probe";
    public const string ContainerName = "probe";
    public const string SidecarInjectLabel = "sidecar.istio.io/inject";
    public const string CertificateDirectory = "/probe-cert";
    /// <summary>0440: readable by the probe's group (fsGroup), by nobody else.</summary>
    public const int CertificateFileMode = 288;
    public const string TimeoutSeconds = "10";
    public const string RequestPath = "/search?q=probe";
    public const string HostHeader = "indexforge-search";
    public const int MaxEvidenceLength = 200;
    /// <summary>The identity the foreign-CA and expired certificates claim: the mesh's caller workload.</summary>
    public const string CallerSpiffeFormat = "spiffe://cluster.local/ns/{0}/sa/indexforge-caller";
}
