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
        var url = $"http://{KubeConstants.SampleServiceName}.{Cluster.Namespace}.svc.cluster.local:{KubeConstants.SampleServicePort}/search?q=probe";
        var pod = ProbePod(podName, probeNs, serviceAccount, url);
        await Cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, probeNs, cancellationToken: ct).ConfigureAwait(false);
        try
        {
            var (exitCode, output) = await WaitForProbeAsync(podName, probeNs, ct).ConfigureAwait(false);
            var outcome = ProbeOutcome.From(exitCode, output);
            details["source"] = $"spiffe://cluster.local/ns/{probeNs}/sa/{serviceAccount}";
            details["target"] = url;
            details["exitCode"] = exitCode.ToString(CultureInfo.InvariantCulture);
            details["status"] = outcome.Status;
            details["refused"] = outcome.Refused ? "true" : "false";
            details["reason"] = outcome.Reason;
        }
        finally
        {
            await Cluster.Client.CoreV1.DeleteNamespacedPodAsync(podName, probeNs, new V1DeleteOptions { GracePeriodSeconds = 0 },
                cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
    }

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
                    SecurityContext = new V1SecurityContext
                    {
                        RunAsNonRoot = true, RunAsUser = 1000, AllowPrivilegeEscalation = false, ReadOnlyRootFilesystem = true,
                        Capabilities = new V1Capabilities { Drop = ["ALL"] },
                    },
                },
            ],
        },
    };

    private async Task<(int ExitCode, string Output)> WaitForProbeAsync(string pod, string ns, CancellationToken ct)
    {
        var deadline = Cluster.Time.GetUtcNow() + Cluster.Timings.ProbeTimeout;
        while (Cluster.Time.GetUtcNow() < deadline)
        {
            var p = await Cluster.Client.CoreV1.ReadNamespacedPodAsync(pod, ns, cancellationToken: ct).ConfigureAwait(false);
            // The sidecar keeps running after curl exits, so the probe container's own state decides.
            var terminated = p.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == ContainerName)?.State?.Terminated;
            if (terminated is not null)
            {
                using var log = await Cluster.Client.CoreV1.ReadNamespacedPodLogAsync(pod, ns, container: ContainerName, cancellationToken: ct).ConfigureAwait(false);
                using var reader = new StreamReader(log);
                return (terminated.ExitCode, (await reader.ReadToEndAsync(ct).ConfigureAwait(false)).Trim());
            }
            await Task.Delay(Cluster.Timings.Poll, Cluster.Time, ct).ConfigureAwait(false);
        }
        throw new FaultInjectionException($"probe pod {ns}/{pod} did not finish within {Cluster.Timings.ProbeTimeout}");
    }
}
