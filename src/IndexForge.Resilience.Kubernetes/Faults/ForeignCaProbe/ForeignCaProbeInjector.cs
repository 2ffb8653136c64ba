using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.ForeignCaProbe;
using IndexForge.Resilience.Kubernetes.Faults.Probes;

namespace IndexForge.Resilience.Kubernetes.Faults.ForeignCaProbe;

/// <summary>mTLS to the replica pod with a certificate for the caller's SPIFFE id from a CA the mesh has never seen.</summary>
public sealed class ForeignCaProbeInjector(KubeCluster cluster) : TlsProbeInjector<ForeignCaProbeOptions>(cluster)
{
    public override string Type => FaultTypes.ForeignCaProbe;

    protected override string? ReplicaOf(ForeignCaProbeOptions options) => options.Replica;

    protected override string Mechanism(ForeignCaProbeOptions options) => "openssl s_client with a caller certificate from a foreign CA, from outside the mesh";

    protected override ProbeCertificate? Certificate(ForeignCaProbeOptions options, DateTimeOffset now) =>
        ProbeCertificates.Issue(Cluster.Namespace, "IndexForge foreign probe CA", now.AddMinutes(-5), now.AddDays(1));

    protected override IList<string> Command(ForeignCaProbeOptions options, string address) => Openssl(address, [], withCertificate: true);

    protected override TlsProbeOutcome Decide(ForeignCaProbeOptions options, int exitCode, string output) =>
        TlsProbeOutcome.FromOpenssl(exitCode, output, serverHelloMeansAccepted: false);
}
