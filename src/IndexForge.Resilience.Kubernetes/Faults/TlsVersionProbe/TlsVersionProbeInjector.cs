using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.TlsVersionProbe;
using IndexForge.Resilience.Kubernetes.Faults.Probes;

namespace IndexForge.Resilience.Kubernetes.Faults.TlsVersionProbe;

/// <summary>
/// A handshake offering one TLS version (<c>openssl s_client -tls1 / -tls1_1 -cipher DEFAULT@SECLEVEL=0 / -tls1_2 / -tls1_3</c>).
/// The probe has no mesh certificate, but the version is decided at the ServerHello, before any client
/// certificate is asked for: a ServerHello means the server accepted the version (refused=false),
/// a protocol_version alert that it refused it.
/// </summary>
public sealed class TlsVersionProbeInjector(KubeCluster cluster) : TlsProbeInjector<TlsVersionProbeOptions>(cluster)
{
    public override string Type => FaultTypes.TlsVersionProbe;

    protected override string? ReplicaOf(TlsVersionProbeOptions options) => options.Replica;

    public static IReadOnlyList<string> Arguments(string version) => version switch
    {
        "1.0" => ["-tls1", "-cipher", "DEFAULT@SECLEVEL=0"],
        "1.1" => ["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"],
        "1.2" => ["-tls1_2"],
        _ => ["-tls1_3"],
    };

    protected override string Mechanism(TlsVersionProbeOptions options) => $"openssl s_client {string.Join(' ', Arguments(options.Version))}, from outside the mesh";

    protected override IList<string> Command(TlsVersionProbeOptions options, string address) => Openssl(address, Arguments(options.Version), withCertificate: false);

    protected override TlsProbeOutcome Decide(TlsVersionProbeOptions options, int exitCode, string output) =>
        TlsProbeOutcome.FromOpenssl(exitCode, output, serverHelloMeansAccepted: true);

    protected override void AddDetails(TlsVersionProbeOptions options, Dictionary<string, string> details) => details["version"] = options.Version;
}
