using System.Security.Authentication;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.UnauthorizedSourceProbe;
using IndexForge.Resilience.Embedded.Faults.Probes;
using IndexForge.Resilience.Mesh.Security;

namespace IndexForge.Resilience.Embedded.Faults.UnauthorizedSourceProbe;

/// <summary>
/// A request from a valid mesh identity the policy does not name: a certificate from the mesh's own CA
/// for the <c>Source</c> SPIFFE id, so mTLS passes and only the AuthorizationPolicy (RBAC 403) can refuse.
/// </summary>
internal sealed class UnauthorizedSourceProbeInjector(EmbeddedRuntime runtime) : IFaultInjector
{
    public static readonly TimeSpan Validity = TimeSpan.FromHours(1);

    public string Type => FaultTypes.UnauthorizedSourceProbe;

    public async Task<IActiveFault> InjectAsync(FaultOptions options, FaultContext context, CancellationToken cancellationToken)
    {
        var o = (UnauthorizedSourceProbeOptions)options;
        if (!Uri.TryCreate(o.Source, UriKind.Absolute, out var source) || source.Scheme != "spiffe")
            throw new FaultInjectionException($"unauthorized-source-probe: '{o.Source}' is not a SPIFFE id like spiffe://cluster.local/ns/intruder/sa/default");
        var target = ProbeTarget.Resolve(runtime, o.Replica);
        var now = context.Time.GetUtcNow();
        using var certificate = runtime.Ca.Issue(o.Source, now.AddMinutes(-1), now + Validity);
        var verdict = ProbeVerdict.Begin(target, context.Time);
        var exchange = await ProbeClients.TlsAsync(target, certificate, SslProtocols.Tls12 | SslProtocols.Tls13, runtime.Secrets?.CallerCredential(), cancellationToken);
        var details = await verdict.DecideAsync(exchange, "mTLS with a mesh-CA certificate for an identity no policy authorizes");
        details["source"] = o.Source;
        details["authorizationPolicies"] = target.Inbound.AuthorizationPolicyCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new CompletedFault(details);
    }
}
