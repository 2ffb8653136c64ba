using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Embedded.Faults.RegionOutage;
using IndexForge.Resilience.Embedded.Faults.ReplicaHttpError;
using IndexForge.Resilience.Embedded.Faults.ReplicaKill;
using IndexForge.Resilience.Embedded.Faults.ReplicaLatency;
using IndexForge.Resilience.Embedded.Faults.ZoneOutage;

namespace IndexForge.Resilience.Embedded.Faults;

/// <summary>The embedded target's injector for each fault type: one registration line per type.</summary>
internal static class EmbeddedInjectors
{
    private static readonly Dictionary<string, Func<EmbeddedRuntime, IFaultInjector>> Factories = new(StringComparer.Ordinal)
    {
        [FaultTypes.ReplicaHttpError] = r => new ReplicaHttpErrorInjector(r),
        [FaultTypes.ReplicaLatency] = r => new ReplicaLatencyInjector(r),
        [FaultTypes.ReplicaKill] = r => new ReplicaKillInjector(r),
        [FaultTypes.ZoneOutage] = r => new ZoneOutageInjector(r),
        [FaultTypes.RegionOutage] = r => new RegionOutageInjector(r),
    };

    public static IReadOnlyCollection<string> Types => Factories.Keys;

    public static IFaultInjector Create(string type, EmbeddedRuntime runtime) =>
        Factories.TryGetValue(type, out var create) ? create(runtime)
            : throw new FaultInjectionException($"the embedded target cannot inject '{type}'");
}
