using System.Globalization;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.UnauthorizedSourceProbe;
using IndexForge.Resilience.Kubernetes.Kube;
using k8s;
using k8s.Models;

namespace IndexForge.Resilience.Kubernetes.Faults.UnauthorizedSourceProbe;

/// <summary>
/// Runs a probe pod (curl) in a namespace and service account no policy authorizes, inside the
/// mesh so it has a real workload identity, and reads the outcome from its exit code and output:
/// 403 (AuthorizationPolicy), reset (mTLS), timeout (NetworkPolicy dropping) are refusals; a 2xx is not.
/// Aimed at the service, or with <c>replica</c> at that replica's pod through a per-replica headless Service.
/// </summary>
public sealed class UnauthorizedSourceProbeInjector(KubeCluster cluster) : KubeInjector<UnauthorizedSourceProbeOptions>(cluster)
{
    public const string ContainerName = "probe";
    private int _sequence;

    public override string Type => FaultTypes.UnauthorizedSourceProbe;

    protected override async Task InjectCoreAsync(UnauthorizedSourceProbeOptions options, FaultContext context, UndoLog undo, Dictionary<string, string> details, CancellationToken ct)
    {
        var (sourceNs, serviceAccount) = ProbeIdentity.Parse(options.Source);
        // The probe namespace belongs to the run: named after it, labelled like it, reaped with it.
        var probeNs = ProbeIdentity.NamespaceFor(Cluster.Namespace, sourceNs);
        await EnsureProbeNamespaceAsync(probeNs, serviceAccount, ct).ConfigureAwait(false);
        Cluster.Guard.EnsureOwned(probeNs, "run a probe pod");

        var podName = $"probe-{Interlocked.Increment(ref _sequence)}-{context.Random.Next(0x1000, 0xffff):x4}";
        var host = $"{KubeConstants.SampleServiceName}.{Cluster.Namespace}.svc.cluster.local";
        if (options.Replica is { } replica)
        {
            // One replica, still through the mesh: a headless Service selecting only its pod gives the
            // probe's sidecar a per-endpoint route with mTLS (as for a StatefulSet's pods).
            var pod = await Cluster.ReplicaPodAsync(replica, ct).ConfigureAwait(false);
            var service = ReplicaServiceName(replica);
            Cluster.Guard.EnsureOwned(Cluster.Namespace, "create a probe Service");
            await Cluster.Client.CoreV1.CreateNamespacedServiceAsync(ReplicaService(service, replica), Cluster.Namespace, cancellationToken: ct).ConfigureAwait(false);
            undo.Add($"delete Service {Cluster.Namespace}/{service}", c => Cluster.Client.CoreV1.DeleteNamespacedServiceAsync(service, Cluster.Namespace, cancellationToken: c));
            host = $"{service}.{Cluster.Namespace}.svc.cluster.local";
            details["replica"] = replica;
            details["address"] = Probes.ProbePods.AddressOf(pod);
        }
        var url = $"http://{host}:{KubeConstants.SampleServicePort}/search?q=probe";
        var (exitCode, output) = await Probes.ProbePods.RunAsync(Cluster, ProbePod(podName, probeNs, serviceAccount, url), ContainerName, ct).ConfigureAwait(false);
        var outcome = ProbeOutcome.From(exitCode, output);
        details["source"] = $"spiffe://cluster.local/ns/{probeNs}/sa/{serviceAccount}";
        details["target"] = url;
        details["exitCode"] = exitCode.ToString(CultureInfo.InvariantCulture);
        details["status"] = outcome.Status;
        details["refused"] = outcome.Refused ? "true" : "false";
        details["reason"] = outcome.Reason;
        // The probe is instantaneous: the per-replica Service goes now, not at revert.
        await undo.UndoAllAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>indexforge-probe-&lt;replica&gt;, within the 63-character DNS label limit.</summary>
    public static string ReplicaServiceName(string replica)
    {
        var name = $"{KubeConstants.SampleServiceName}-probe-{replica}";
        return name.Length <= 63 ? name : name[..63].TrimEnd('-');
    }

    private static V1Service ReplicaService(string name, string replica) => new()
    {
        ApiVersion = "v1", Kind = "Service",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = new Dictionary<string, string> { [KubeLabels.Role] = "probe", [KubeLabels.ManagedBy] = KubeLabels.ManagedByValue },
        },
        Spec = new V1ServiceSpec
        {
            ClusterIP = "None",
            Selector = new Dictionary<string, string> { [KubeLabels.App] = KubeLabels.AppValue, [KubeLabels.Replica] = replica },
            Ports = [new V1ServicePort { Name = "http", Port = KubeConstants.SampleServicePort, TargetPort = KubeConstants.SampleServicePort, Protocol = "TCP" }],
        },
    };

    private async Task EnsureProbeNamespaceAsync(string probeNs, string serviceAccount, CancellationToken ct)
    {
        var runNs = await Cluster.Client.CoreV1.ReadNamespaceAsync(Cluster.Namespace, cancellationToken: ct).ConfigureAwait(false);
        var labels = new Dictionary<string, string>(runNs.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [KubeLabels.IstioInjection] = "enabled",
        };
        var resources = Cluster.Resources;
        await resources.ApplyAsync(new V1Namespace
        {
            ApiVersion = "v1", Kind = "Namespace",
            Metadata = new V1ObjectMeta { Name = probeNs, Labels = labels, Annotations = runNs.Metadata.Annotations },
        }, null, ct).ConfigureAwait(false);
        Cluster.Guard.Adopt(probeNs);
        await resources.ApplyAsync(new V1ServiceAccount
        {
            ApiVersion = "v1", Kind = "ServiceAccount",
            Metadata = new V1ObjectMeta { Name = serviceAccount, NamespaceProperty = probeNs },
        }, probeNs, ct).ConfigureAwait(false);
    }

    private V1Pod ProbePod(string name, string ns, string serviceAccount, string url) => new()
    {
        ApiVersion = "v1", Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = name, NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { [KubeLabels.Role] = "probe", [KubeLabels.ManagedBy] = KubeLabels.ManagedByValue },
            // The probe must leave with a mesh identity, so it waits for its proxy before curl runs.
            Annotations = new Dictionary<string, string> { ["proxy.istio.io/config"] = """{"holdApplicationUntilProxyStarts":true}""" },
        },
        Spec = new V1PodSpec
        {
            ServiceAccountName = serviceAccount,
            RestartPolicy = "Never",
            Containers =
            [
                new V1Container
                {
                    Name = ContainerName,
                    Image = Cluster.ProbeImage,
                    Command = ["curl"],
                    Args = ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", ProbeConstants.CurlMaxTimeSeconds, url],
                    SecurityContext = Probes.ProbePods.Restricted(),
                },
            ],
        },
    };
}
