using IndexForge.Resilience.Mesh.Config;
using IndexForge.Resilience.Mesh.LoadBalancing;

namespace IndexForge.Resilience.Mesh.Routing;

/// <summary>
/// Envoy's HTTP fault filter on the caller's side: a delay for a percentage of requests (flag DI), then
/// an abort for a percentage (a local reply, flag FI). The request never reaches an upstream host, so an
/// abort never feeds outlier detection.
/// </summary>
public static class FaultPolicy
{
    /// <summary>The delay to apply to this request, if the delay's percentage draws it.</summary>
    public static TimeSpan? DrawDelay(HttpFault? fault, MeshRandom random) =>
        fault?.Delay is { } d && Draw(d.Percent, random) ? d.FixedDelay : null;

    /// <summary>The status to abort with, if the abort's percentage draws it.</summary>
    public static int? DrawAbort(HttpFault? fault, MeshRandom random) =>
        fault?.Abort is { } a && Draw(a.Percent, random) ? a.HttpStatus : null;

    private static bool Draw(double percent, MeshRandom random) => percent >= 100 || (percent > 0 && random.NextDouble() * 100 < percent);
}
