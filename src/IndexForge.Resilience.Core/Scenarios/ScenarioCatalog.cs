using IndexForge.Resilience.Core.Assertions;
using IndexForge.Resilience.Core.Assertions.AlertFires;
using IndexForge.Resilience.Core.Assertions.Failover;
using IndexForge.Resilience.Core.Assertions.LatencyOverhead;
using IndexForge.Resilience.Core.Assertions.OutlierEjected;
using IndexForge.Resilience.Core.Assertions.Refused;
using IndexForge.Resilience.Core.Assertions.Threshold;
using IndexForge.Resilience.Core.Assertions.ZeroDowntime;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.CertRotation;
using IndexForge.Resilience.Core.Faults.ConnectionFlood;
using IndexForge.Resilience.Core.Faults.ExpiredCertProbe;
using IndexForge.Resilience.Core.Faults.ForeignCaProbe;
using IndexForge.Resilience.Core.Faults.MeshFault;
using IndexForge.Resilience.Core.Faults.NetworkLatency;
using IndexForge.Resilience.Core.Faults.PlaintextProbe;
using IndexForge.Resilience.Core.Faults.RegionOutage;
using IndexForge.Resilience.Core.Faults.ReplicaHttpError;
using IndexForge.Resilience.Core.Faults.ReplicaKill;
using IndexForge.Resilience.Core.Faults.ReplicaLatency;
using IndexForge.Resilience.Core.Faults.SecretRotation;
using IndexForge.Resilience.Core.Faults.TlsVersionProbe;
using IndexForge.Resilience.Core.Faults.UnauthorizedSourceProbe;
using IndexForge.Resilience.Core.Faults.VaultOutage;
using IndexForge.Resilience.Core.Faults.VaultSeal;
using IndexForge.Resilience.Core.Faults.WeakCipherProbe;
using IndexForge.Resilience.Core.Faults.ZoneOutage;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Load.ConstantArrivalRate;
using IndexForge.Resilience.Core.Load.ConstantConcurrency;
using IndexForge.Resilience.Core.Load.Pause;
using IndexForge.Resilience.Core.Load.RampingArrivalRate;

namespace IndexForge.Resilience.Core.Scenarios;

/// <summary>
/// Maps every kebab-case <c>type:</c> key of the scenario format to its options type. Adding a
/// phase, fault or assertion type is its own folder plus one line here; a duplicate key fails at start-up.
/// </summary>
public sealed class ScenarioCatalog
{
    private readonly Dictionary<string, Type> _phases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Type> _faults = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Type> _assertions = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, Type> Phases => _phases;
    public IReadOnlyDictionary<string, Type> Faults => _faults;
    public IReadOnlyDictionary<string, Type> Assertions => _assertions;

    public static ScenarioCatalog Default { get; } = new ScenarioCatalog()
        .Phase<ConstantArrivalRateOptions>(PhaseTypes.ConstantArrivalRate)
        .Phase<RampingArrivalRateOptions>(PhaseTypes.RampingArrivalRate)
        .Phase<ConstantConcurrencyOptions>(PhaseTypes.ConstantConcurrency)
        .Phase<PauseOptions>(PhaseTypes.Pause)
        .Fault<ReplicaHttpErrorOptions>(FaultTypes.ReplicaHttpError)
        .Fault<ReplicaLatencyOptions>(FaultTypes.ReplicaLatency)
        .Fault<ReplicaKillOptions>(FaultTypes.ReplicaKill)
        .Fault<ZoneOutageOptions>(FaultTypes.ZoneOutage)
        .Fault<RegionOutageOptions>(FaultTypes.RegionOutage)
        .Fault<ConnectionFloodOptions>(FaultTypes.ConnectionFlood)
        .Fault<MeshFaultOptions>(FaultTypes.MeshFault)
        .Fault<VaultSealOptions>(FaultTypes.VaultSeal)
        .Fault<VaultOutageOptions>(FaultTypes.VaultOutage)
        .Fault<SecretRotationOptions>(FaultTypes.SecretRotation)
        .Fault<CertRotationOptions>(FaultTypes.CertRotation)
        .Fault<NetworkLatencyOptions>(FaultTypes.NetworkLatency)
        .Fault<PlaintextProbeOptions>(FaultTypes.PlaintextProbe)
        .Fault<ForeignCaProbeOptions>(FaultTypes.ForeignCaProbe)
        .Fault<ExpiredCertProbeOptions>(FaultTypes.ExpiredCertProbe)
        .Fault<TlsVersionProbeOptions>(FaultTypes.TlsVersionProbe)
        .Fault<WeakCipherProbeOptions>(FaultTypes.WeakCipherProbe)
        .Fault<UnauthorizedSourceProbeOptions>(FaultTypes.UnauthorizedSourceProbe)
        .Assertion<ThresholdOptions>(AssertionTypes.Threshold)
        .Assertion<OutlierEjectedOptions>(AssertionTypes.OutlierEjected)
        .Assertion<FailoverOptions>(AssertionTypes.Failover)
        .Assertion<LatencyOverheadOptions>(AssertionTypes.LatencyOverhead)
        .Assertion<ZeroDowntimeOptions>(AssertionTypes.ZeroDowntime)
        .Assertion<RefusedOptions>(AssertionTypes.Refused)
        .Assertion<AlertFiresOptions>(AssertionTypes.AlertFires);

    public ScenarioCatalog Phase<T>(string type) where T : PhaseOptions => Add(_phases, type, typeof(T));
    public ScenarioCatalog Fault<T>(string type) where T : FaultOptions => Add(_faults, type, typeof(T));
    public ScenarioCatalog Assertion<T>(string type) where T : AssertionOptions => Add(_assertions, type, typeof(T));

    /// <summary>The registry for an abstract base (PhaseOptions, FaultOptions, AssertionOptions), or null.</summary>
    public IReadOnlyDictionary<string, Type>? For(Type baseType) =>
        baseType == typeof(PhaseOptions) ? _phases
        : baseType == typeof(FaultOptions) ? _faults
        : baseType == typeof(AssertionOptions) ? _assertions
        : null;

    private ScenarioCatalog Add(Dictionary<string, Type> map, string type, Type options)
    {
        if (!map.TryAdd(type, options))
            throw new InvalidOperationException($"type '{type}' is registered twice ({map[type].Name} and {options.Name})");
        return this;
    }
}
