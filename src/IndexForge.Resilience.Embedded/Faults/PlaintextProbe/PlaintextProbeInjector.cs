using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.PlaintextProbe;
using IndexForge.Resilience.Embedded.Faults.Probes;

namespace IndexForge.Resilience.Embedded.Faults.PlaintextProbe;

/// <summary>One plaintext HTTP/1.1 request straight to a replica's inbound; STRICT must drop it before any HTTP.</summary>
internal sealed class PlaintextProbeInjector(EmbeddedRuntime runtime) : IFaultInjector
{
    public string Type => FaultTypes.PlaintextProbe;

    public async Task<IActiveFault> InjectAsync(FaultOptions options, FaultContext context, CancellationToken cancellationToken)
    {
        var target = ProbeTarget.Resolve(runtime, ((PlaintextProbeOptions)options).Replica);
        var verdict = ProbeVerdict.Begin(target, context.Time);
        var exchange = await ProbeClients.PlaintextAsync(target, runtime.Secrets?.CallerCredential(), cancellationToken);
        return new CompletedFault(await verdict.DecideAsync(exchange, "plaintext HTTP/1.1 to the replica's inbound port"));
    }
}
