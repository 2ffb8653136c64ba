using System.Text.RegularExpressions;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.WeakCipherProbe;
using IndexForge.Resilience.Kubernetes.Faults.Probes;

namespace IndexForge.Resilience.Kubernetes.Faults.WeakCipherProbe;

/// <summary>
/// A TLS 1.2 handshake offering only <c>Cipher</c> (<c>-cipher X:@SECLEVEL=0</c>, so the client really offers
/// it). The cipher is chosen at the ServerHello: one means it was accepted; a handshake_failure is <c>cipher-rejected</c>.
/// </summary>
public sealed partial class WeakCipherProbeInjector(KubeCluster cluster) : TlsProbeInjector<WeakCipherProbeOptions>(cluster)
{
    public override string Type => FaultTypes.WeakCipherProbe;

    protected override string? ReplicaOf(WeakCipherProbeOptions options) => options.Replica;

    protected override string Mechanism(WeakCipherProbeOptions options) => $"openssl s_client -tls1_2 -cipher {options.Cipher}:@SECLEVEL=0, from outside the mesh";

    protected override IList<string> Command(WeakCipherProbeOptions options, string address) =>
        // The cipher goes into a shell line: only OpenSSL cipher-string characters are let through.
        CipherName().IsMatch(options.Cipher)
            ? Openssl(address, ["-tls1_2", "-cipher", $"'{options.Cipher}:@SECLEVEL=0'"], withCertificate: false)
            : throw new FaultInjectionException($"cipher '{options.Cipher}' is not an OpenSSL cipher string (letters, digits, - _ + ! : @ = .)");

    [GeneratedRegex(@"^[A-Za-z0-9_+!:@=.\-]{1,200}$", RegexOptions.CultureInvariant)]
    private static partial Regex CipherName();

    protected override TlsProbeOutcome Decide(WeakCipherProbeOptions options, int exitCode, string output) =>
        TlsProbeOutcome.FromOpenssl(exitCode, output, serverHelloMeansAccepted: true, r => r == "handshake-failed" ? "cipher-rejected" : r);

    protected override void AddDetails(WeakCipherProbeOptions options, Dictionary<string, string> details) => details["cipher"] = options.Cipher;
}
