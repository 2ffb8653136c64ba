using System.Globalization;
using System.Security.Authentication;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.ExpiredCertProbe;
using IndexForge.Resilience.Embedded.Faults.Probes;

namespace IndexForge.Resilience.Embedded.Faults.ExpiredCertProbe;

/// <summary>
/// mTLS to a replica with a certificate from the mesh's own CA for the caller's identity whose
/// validity window ended a day ago: only the dates are wrong.
/// </summary>
internal sealed class ExpiredCertProbeInjector(EmbeddedRuntime runtime) : IFaultInjector
{
    public static readonly TimeSpan ExpiredFor = TimeSpan.FromDays(1);

    public string Type => FaultTypes.ExpiredCertProbe;

    public async Task<IActiveFault> InjectAsync(FaultOptions options, FaultContext context, CancellationToken cancellationToken)
    {
        var target = ProbeTarget.Resolve(runtime, ((ExpiredCertProbeOptions)options).Replica);
        var now = context.Time.GetUtcNow();
        var spiffe = runtime.Ca.SpiffeId(Mesh.MeshConstants.DefaultNamespace, Mesh.MeshConstants.CallerServiceAccount);
        using var certificate = runtime.Ca.Issue(spiffe, now - ExpiredFor - ExpiredFor, now - ExpiredFor);
        var verdict = ProbeVerdict.Begin(target, context.Time);
        var exchange = await ProbeClients.TlsAsync(target, certificate, SslProtocols.Tls12 | SslProtocols.Tls13, runtime.Secrets?.CallerCredential(), cancellationToken);
        var details = await verdict.DecideAsync(exchange, "mTLS with an expired mesh-CA certificate");
        details["clientCertificateNotAfter"] = certificate.NotAfter.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        return new CompletedFault(details);
    }
}
