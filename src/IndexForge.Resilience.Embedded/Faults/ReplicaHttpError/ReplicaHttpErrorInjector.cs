using System.Globalization;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.ReplicaHttpError;

namespace IndexForge.Resilience.Embedded.Faults.ReplicaHttpError;

/// <summary>Turns on the replica's own Polly outcome chaos: a fraction of its API requests answer the given 5xx.</summary>
internal sealed class ReplicaHttpErrorInjector(EmbeddedRuntime runtime) : IFaultInjector
{
    public string Type => FaultTypes.ReplicaHttpError;

    public Task<IActiveFault> InjectAsync(FaultOptions options, FaultContext context, CancellationToken cancellationToken)
    {
        var o = (ReplicaHttpErrorOptions)options;
        var host = runtime.Replicas[o.Replica];
        var before = host.Chaos.Settings;
        host.Chaos.Settings = before with { ErrorRate = o.Rate, StatusCode = o.StatusCode };
        var details = new Dictionary<string, string>
        {
            ["replica"] = o.Replica,
            ["status"] = o.StatusCode.ToString(CultureInfo.InvariantCulture),
            ["rate"] = o.Rate.ToString("0.###", CultureInfo.InvariantCulture),
            ["mechanism"] = "Polly chaos outcome strategy inside the replica",
        };
        return Task.FromResult<IActiveFault>(new RevertableFault(details, _ =>
        {
            host.Chaos.Settings = host.Chaos.Settings with { ErrorRate = before.ErrorRate, StatusCode = before.StatusCode };
            return Task.CompletedTask;
        }));
    }
}
