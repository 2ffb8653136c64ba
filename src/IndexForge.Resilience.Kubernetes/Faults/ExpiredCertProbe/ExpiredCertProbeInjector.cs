using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.ExpiredCertProbe;
using IndexForge.Resilience.Kubernetes.Faults.Probes;

namespace IndexForge.Resilience.Kubernetes.Faults.ExpiredCertProbe;

/// <summary>
/// mTLS to the replica pod with a caller certificate that expired a day ago. The harness does not hold
/// istiod's signing key, so the certificate comes from a probe CA: Envoy may answer unknown_ca before it
/// looks at the dates; <c>reason</c> says which alert came back.
/// </summary>
public sealed class ExpiredCertProbeInjector(KubeCluster cluster) : TlsProbeInjector<ExpiredCertProbeOptions>(cluster)
{
    public override string Type => FaultTypes.ExpiredCertProbe;

    protected override string? ReplicaOf(ExpiredCertProbeOptions options) => options.Replica;

    protected override string Mechanism(ExpiredCertProbeOptions options) => "openssl s_client with an expired caller certificate (probe CA), from outside the mesh";

    protected override ProbeCertificate? Certificate(ExpiredCertProbeOptions options, DateTimeOffset now) =>
        ProbeCertificates.Issue(Cluster.Namespace, "IndexForge expired-certificate probe CA", now.AddDays(-2), now.AddDays(-1));

    protected override IList<string> Command(ExpiredCertProbeOptions options, string address) => Openssl(address, [], withCertificate: true);

    protected override TlsProbeOutcome Decide(ExpiredCertProbeOptions options, int exitCode, string output) =>
        TlsProbeOutcome.FromOpenssl(exitCode, output, serverHelloMeansAccepted: false);
}
