using System.Security.Authentication;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.TlsVersionProbe;
using IndexForge.Resilience.Embedded.Faults.Probes;

namespace IndexForge.Resilience.Embedded.Faults.TlsVersionProbe;

/// <summary>
/// A handshake offering only one TLS version, with the caller's valid certificate so the version is the
/// only question. .NET cannot offer TLS 1.0/1.1 here (FACTS.md), so those go through
/// <c>openssl s_client -tls1/-tls1_1 -cipher DEFAULT@SECLEVEL=0</c>; without openssl the outcome is
/// <c>refused=unknown</c> (a skipped check, never a passed one). 1.2/1.3 use SslStream.
/// </summary>
internal sealed class TlsVersionProbeInjector(EmbeddedRuntime runtime) : IFaultInjector
{
    public string Type => FaultTypes.TlsVersionProbe;

    public async Task<IActiveFault> InjectAsync(FaultOptions options, FaultContext context, CancellationToken cancellationToken)
    {
        var o = (TlsVersionProbeOptions)options;
        var target = ProbeTarget.Resolve(runtime, o.Replica);
        var certificate = runtime.Mesh.WorkloadTls.ClientCertificate;
        var verdict = ProbeVerdict.Begin(target, context.Time);
        Dictionary<string, string> details;
        switch (o.Version)
        {
            case "1.0" or "1.1":
                var flag = o.Version == "1.0" ? "-tls1" : "-tls1_1";
                var exchange = await ProbeClients.OpensslAsync(target, certificate, [flag, "-cipher", "DEFAULT@SECLEVEL=0"], cancellationToken);
                details = await verdict.DecideAsync(exchange, $"openssl s_client {flag} with the caller's certificate");
                break;
            default:
                var protocols = o.Version == "1.2" ? SslProtocols.Tls12 : SslProtocols.Tls13;
                details = await verdict.DecideAsync(
                    await ProbeClients.TlsAsync(target, certificate, protocols, runtime.Secrets?.CallerCredential(), cancellationToken),
                    $"SslStream offering only TLS {o.Version} with the caller's certificate");
                break;
        }
        details["version"] = o.Version;
        return new CompletedFault(details);
    }
}
