using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Kubernetes.Faults.CertRotation;
using IndexForge.Resilience.Kubernetes.Faults.ExpiredCertProbe;
using IndexForge.Resilience.Kubernetes.Faults.ForeignCaProbe;
using IndexForge.Resilience.Kubernetes.Faults.PlaintextProbe;
using IndexForge.Resilience.Kubernetes.Faults.TlsVersionProbe;
using IndexForge.Resilience.Kubernetes.Faults.WeakCipherProbe;
using IndexForge.Resilience.Kubernetes.Faults.MeshFault;
using IndexForge.Resilience.Kubernetes.Faults.RegionOutage;
using IndexForge.Resilience.Kubernetes.Faults.ReplicaHttpError;
using IndexForge.Resilience.Kubernetes.Faults.ReplicaKill;
using IndexForge.Resilience.Kubernetes.Faults.ReplicaLatency;
using IndexForge.Resilience.Kubernetes.Faults.SecretRotation;
using IndexForge.Resilience.Kubernetes.Faults.UnauthorizedSourceProbe;
using IndexForge.Resilience.Kubernetes.Faults.VaultOutage;
using IndexForge.Resilience.Kubernetes.Faults.VaultSeal;
using IndexForge.Resilience.Kubernetes.Faults.ZoneOutage;

namespace IndexForge.Resilience.Kubernetes.Faults;

/// <summary>The Kubernetes injector of each supported fault type (one line per type).</summary>
public static class KubeInjectors
{
    public static IFaultInjector? Create(string type, KubeCluster c) => type switch
    {
        FaultTypes.ReplicaKill => new ReplicaKillInjector(c),
        FaultTypes.RegionOutage => new RegionOutageInjector(c),
        FaultTypes.ZoneOutage => new ZoneOutageInjector(c),
        FaultTypes.ReplicaHttpError => new ReplicaHttpErrorInjector(c),
        FaultTypes.ReplicaLatency => new ReplicaLatencyInjector(c),
        FaultTypes.MeshFault => new MeshFaultInjector(c),
        FaultTypes.VaultSeal => new VaultSealInjector(c),
        FaultTypes.VaultOutage => new VaultOutageInjector(c),
        FaultTypes.SecretRotation => new SecretRotationInjector(c),
        FaultTypes.CertRotation => new CertRotationInjector(c),
        FaultTypes.UnauthorizedSourceProbe => new UnauthorizedSourceProbeInjector(c),
        FaultTypes.PlaintextProbe => new PlaintextProbeInjector(c),
        FaultTypes.ForeignCaProbe => new ForeignCaProbeInjector(c),
        FaultTypes.ExpiredCertProbe => new ExpiredCertProbeInjector(c),
        FaultTypes.TlsVersionProbe => new TlsVersionProbeInjector(c),
        FaultTypes.WeakCipherProbe => new WeakCipherProbeInjector(c),
        _ => null,
    };
}
