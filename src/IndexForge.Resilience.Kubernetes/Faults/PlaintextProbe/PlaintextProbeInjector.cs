using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.PlaintextProbe;
using IndexForge.Resilience.Kubernetes.Faults.Probes;

namespace IndexForge.Resilience.Kubernetes.Faults.PlaintextProbe;

/// <summary>One plaintext HTTP/1.1 request (curl) from outside the mesh to the replica pod; STRICT resets it before any HTTP.</summary>
public sealed class PlaintextProbeInjector(KubeCluster cluster) : TlsProbeInjector<PlaintextProbeOptions>(cluster)
{
    public override string Type => FaultTypes.PlaintextProbe;

    protected override string? ReplicaOf(PlaintextProbeOptions options) => options.Replica;

    protected override string Mechanism(PlaintextProbeOptions options) => "curl: plaintext HTTP/1.1 to the replica pod from a pod outside the mesh";

    protected override IList<string> Command(PlaintextProbeOptions options, string address) =>
        ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", TlsProbeConstants.TimeoutSeconds,
            "-H", $"Host: {TlsProbeConstants.HostHeader}", $"http://{address}{TlsProbeConstants.RequestPath}"];

    protected override TlsProbeOutcome Decide(PlaintextProbeOptions options, int exitCode, string output) => TlsProbeOutcome.FromCurl(exitCode, output);
}
