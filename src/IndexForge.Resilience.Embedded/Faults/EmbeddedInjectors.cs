using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Embedded.Faults.CertRotation;
using IndexForge.Resilience.Embedded.Faults.ExpiredCertProbe;
using IndexForge.Resilience.Embedded.Faults.ForeignCaProbe;
using IndexForge.Resilience.Embedded.Faults.ConnectionFlood;
using IndexForge.Resilience.Embedded.Faults.MeshFault;
using IndexForge.Resilience.Embedded.Faults.NetworkLatency;
using IndexForge.Resilience.Embedded.Faults.PlaintextProbe;
using IndexForge.Resilience.Embedded.Faults.RegionOutage;
using IndexForge.Resilience.Embedded.Faults.ReplicaHttpError;
using IndexForge.Resilience.Embedded.Faults.ReplicaKill;
using IndexForge.Resilience.Embedded.Faults.ReplicaLatency;
using IndexForge.Resilience.Embedded.Faults.SecretRotation;
using IndexForge.Resilience.Embedded.Faults.TlsVersionProbe;
using IndexForge.Resilience.Embedded.Faults.UnauthorizedSourceProbe;
using IndexForge.Resilience.Embedded.Faults.VaultOutage;
using IndexForge.Resilience.Embedded.Faults.VaultSeal;
using IndexForge.Resilience.Embedded.Faults.WeakCipherProbe;
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
        [FaultTypes.ConnectionFlood] = r => new ConnectionFloodInjector(r),
        [FaultTypes.MeshFault] = r => new MeshFaultInjector(r),
        [FaultTypes.NetworkLatency] = r => new NetworkLatencyInjector(r),
        [FaultTypes.VaultSeal] = r => new VaultSealInjector(r),
        [FaultTypes.VaultOutage] = r => new VaultOutageInjector(r),
        [FaultTypes.SecretRotation] = r => new SecretRotationInjector(r),
        [FaultTypes.CertRotation] = r => new CertRotationInjector(r),
        [FaultTypes.PlaintextProbe] = r => new PlaintextProbeInjector(r),
        [FaultTypes.ForeignCaProbe] = r => new ForeignCaProbeInjector(r),
        [FaultTypes.ExpiredCertProbe] = r => new ExpiredCertProbeInjector(r),
        [FaultTypes.TlsVersionProbe] = r => new TlsVersionProbeInjector(r),
        [FaultTypes.WeakCipherProbe] = r => new WeakCipherProbeInjector(r),
        [FaultTypes.UnauthorizedSourceProbe] = r => new UnauthorizedSourceProbeInjector(r),
    };

    public static IReadOnlyCollection<string> Types => Factories.Keys;

    public static IFaultInjector Create(string type, EmbeddedRuntime runtime) =>
        Factories.TryGetValue(type, out var create) ? create(runtime)
            : throw new FaultInjectionException($"the embedded target cannot inject '{type}'");
}
