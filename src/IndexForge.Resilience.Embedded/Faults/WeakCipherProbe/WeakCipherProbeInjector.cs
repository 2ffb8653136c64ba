using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.WeakCipherProbe;
using IndexForge.Resilience.Embedded.Faults.Probes;
using IndexForge.Resilience.Mesh.Security;

namespace IndexForge.Resilience.Embedded.Faults.WeakCipherProbe;

/// <summary>
/// A TLS 1.2 handshake offering only <c>Cipher</c> (at SECLEVEL=0, so the client really offers it),
/// through <c>openssl s_client</c> with the caller's valid certificate: the cipher is the only question.
/// A failed handshake the server counted is <c>cipher-rejected</c>; a served request means it was accepted.
/// </summary>
internal sealed class WeakCipherProbeInjector(EmbeddedRuntime runtime) : IFaultInjector
{
    public string Type => FaultTypes.WeakCipherProbe;

    public async Task<IActiveFault> InjectAsync(FaultOptions options, FaultContext context, CancellationToken cancellationToken)
    {
        var o = (WeakCipherProbeOptions)options;
        var target = ProbeTarget.Resolve(runtime, o.Replica);
        var verdict = ProbeVerdict.Begin(target, context.Time);
        var exchange = await ProbeClients.OpensslAsync(target, runtime.Mesh.WorkloadTls.ClientCertificate,
            ["-tls1_2", "-cipher", $"{o.Cipher}:@SECLEVEL=0"], cancellationToken);
        var details = await verdict.DecideAsync(exchange, "openssl s_client -tls1_2 offering one cipher, with the caller's certificate",
            r => r == TlsRefusal.HandshakeFailed ? "cipher-rejected" : ProbeVerdict.ReasonOf(r));
        details["cipher"] = o.Cipher;
        return new CompletedFault(details);
    }
}
