using System.Globalization;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.MeshFault;

namespace IndexForge.Resilience.Embedded.Faults.MeshFault;

/// <summary>
/// A VirtualService fault on the caller's sidecar (the data plane's run-time route fault): aborted or
/// delayed requests never reach a replica. Cleared at revert, back to the configured route's own fault.
/// </summary>
internal sealed class MeshFaultInjector(EmbeddedRuntime runtime) : IFaultInjector
{
    public string Type => FaultTypes.MeshFault;

    public Task<IActiveFault> InjectAsync(FaultOptions options, FaultContext context, CancellationToken cancellationToken)
    {
        var o = (MeshFaultOptions)options;
        if (o.AbortStatus is null && o.Delay is null)
            throw new FaultInjectionException("mesh-fault needs abortStatus and/or delay");
        runtime.Mesh.SetFault(o.AbortStatus, o.AbortPercent, o.Delay, o.DelayPercent);
        var details = new Dictionary<string, string> { ["mechanism"] = "VirtualService fault on the caller's sidecar" };
        if (o.AbortStatus is { } status)
        {
            details["abortStatus"] = status.ToString(CultureInfo.InvariantCulture);
            details["abortPercent"] = o.AbortPercent.ToString("0.###", CultureInfo.InvariantCulture);
        }
        if (o.Delay is { } delay)
        {
            details["delay"] = $"{delay.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}ms";
            details["delayPercent"] = o.DelayPercent.ToString("0.###", CultureInfo.InvariantCulture);
        }
        return Task.FromResult<IActiveFault>(new RevertableFault(details, _ =>
        {
            runtime.Mesh.ClearFault();
            return Task.CompletedTask;
        }));
    }
}
