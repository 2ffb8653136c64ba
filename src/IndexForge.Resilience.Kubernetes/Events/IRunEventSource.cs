using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Kubernetes.Events;

/// <summary>
/// One place the run's events are read from while it runs (pod status, an Envoy admin, Prometheus).
/// Polled by <see cref="RunEventRecorder"/>; the first poll only takes a baseline, later polls return
/// what changed since the previous one.
/// </summary>
public interface IRunEventSource
{
    /// <summary>Short name for failure reports ("pods", "gateway envoy admin", "prometheus").</summary>
    string Name { get; }

    Task<IReadOnlyList<TargetEvent>> PollAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>Event kinds the Kubernetes targets add to Core's <see cref="TargetEventKinds"/>.</summary>
public static class KubeEventKinds
{
    /// <summary>An event source failed; its first error is in the detail (a silent source is not a quiet one).</summary>
    public const string EventSourceFailed = "event-source-failed";
    /// <summary>P0 got all the traffic back (as the embedded mesh's "failback").</summary>
    public const string Failback = "failback";
    public const string PriorityLoadChanged = "priority-load-changed";
    /// <summary>A caller's ejections_enforced_total grew; Envoy's counter is per cluster and does not name the host.</summary>
    public const string EjectionsEnforced = "ejections-enforced";
}

public static class RunEventConstants
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    /// <summary>Each poll of one source may take at most this long; a hung port-forward must not stall the loop.</summary>
    public static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(5);
    /// <summary>Events kept per run; beyond it new ones are counted as dropped (a flapping host must not exhaust memory).</summary>
    public const int MaxEvents = 10_000;
    /// <summary>Envoy's overprovisioning factor: P0 keeps all traffic while 100/1.4 = 71.4% of it is healthy.</summary>
    public const double OverprovisioningFactor = 1.4;
    /// <summary>Envoy admin port of every Istio proxy (loopback in the pod; reached by port-forward).</summary>
    public const int EnvoyAdminPort = 15000;
}
