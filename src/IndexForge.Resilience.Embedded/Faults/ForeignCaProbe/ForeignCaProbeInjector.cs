using System.Security.Authentication;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.ForeignCaProbe;
using IndexForge.Resilience.Embedded.Faults.Probes;
using IndexForge.Resilience.Mesh.Security;

namespace IndexForge.Resilience.Embedded.Faults.ForeignCaProbe;

/// <summary>
/// mTLS to a replica with a workload certificate for the caller's own SPIFFE id, issued by a fresh CA
/// the mesh has never seen: only the issuer is wrong, so a refusal can only be about trust.
/// </summary>
internal sealed class ForeignCaProbeInjector(EmbeddedRuntime runtime) : IFaultInjector
{
    public string Type => FaultTypes.ForeignCaProbe;

    public async Task<IActiveFault> InjectAsync(FaultOptions options, FaultContext context, CancellationToken cancellationToken)
    {
        var target = ProbeTarget.Resolve(runtime, ((ForeignCaProbeOptions)options).Replica);
        using var foreign = MeshCertificateAuthority.Create(runtime.Ca.TrustDomain, "IndexForge foreign probe CA", context.Time);
        using var certificate = foreign.IssueWorkload(Mesh.MeshConstants.DefaultNamespace, Mesh.MeshConstants.CallerServiceAccount);
        var verdict = ProbeVerdict.Begin(target, context.Time);
        var exchange = await ProbeClients.TlsAsync(target, certificate, SslProtocols.Tls12 | SslProtocols.Tls13, runtime.Secrets?.CallerCredential(), cancellationToken);
        var details = await verdict.DecideAsync(exchange, "mTLS with a caller certificate from a foreign CA");
        details["clientCertificateIssuer"] = certificate.Issuer;
        return new CompletedFault(details);
    }
}
