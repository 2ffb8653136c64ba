using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Mesh.Config;
using IndexForge.Resilience.Mesh.Forwarding;
using IndexForge.Resilience.Mesh.LoadBalancing;

namespace IndexForge.Resilience.Mesh;

/// <summary>Run-time control the fault injectors use, and the events the target reports.</summary>
public sealed partial class MeshDataPlane
{
    private PriorityLoadResult? _lastLoad;

    /// <summary>Every event so far: ejections, unejections, overflows, failovers, rotations.</summary>
    public IReadOnlyList<TargetEvent> Events
    {
        get { lock (_eventsLock) return _events.ToArray(); }
    }

    public IReadOnlyList<TargetEvent> EventsSince(DateTimeOffset since)
    {
        lock (_eventsLock) return _events.Where(e => e.At >= since).ToArray();
    }

    /// <summary>
    /// Sets a VirtualService fault (abort and/or delay with percentages) on the caller's side,
    /// replacing the configured route's fault until <see cref="ClearFault"/>. Aborted requests never
    /// reach a replica and never count for outlier detection.
    /// </summary>
    public void SetFault(HttpFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        _proxy.RuntimeFault = fault;
        Emit(new TargetEvent(_options.Time.GetUtcNow(), TargetEventKinds.FaultInjected, "VirtualService",
            $"abort {fault.Abort?.HttpStatus.ToString() ?? "none"} at {fault.Abort?.Percent ?? 0}%, delay {fault.Delay?.FixedDelay.TotalMilliseconds ?? 0} ms at {fault.Delay?.Percent ?? 0}%"));
    }

    /// <summary>Sets a fault from an abort status/percent and a delay/percent (the mesh-fault options' shape).</summary>
    public void SetFault(int? abortStatus, double abortPercent, TimeSpan? delay, double delayPercent) =>
        SetFault(new HttpFault
        {
            Abort = abortStatus is { } s ? new FaultAbort(s, abortPercent) : null,
            Delay = delay is { } d ? new FaultDelay(d, delayPercent) : null,
        });

    /// <summary>Back to the VirtualService's own fault (if any).</summary>
    public void ClearFault()
    {
        if (_proxy.RuntimeFault is null) return;
        _proxy.RuntimeFault = null;
        Emit(new TargetEvent(_options.Time.GetUtcNow(), TargetEventKinds.FaultReverted, "VirtualService", "run-time fault cleared"));
    }

    /// <summary>Adds one-way latency (± uniform jitter) on the path to one replica.</summary>
    public void SetNetworkLatency(string endpointId, TimeSpan delay, TimeSpan jitter = default) =>
        Host(endpointId).Latency = new NetworkLatency(delay, jitter);

    public void ClearNetworkLatency(string endpointId) => Host(endpointId).Latency = null;

    public void ClearNetworkLatency()
    {
        foreach (var h in _hosts) h.Latency = null;
    }

    /// <summary>The replicas of a region (for region-wide latency).</summary>
    public IReadOnlyList<string> EndpointsIn(string region) => Endpoints.Where(e => e.Region == region).Select(e => e.Id).ToArray();

    /// <summary>
    /// Re-issues the caller's workload certificate and every replica's (through their inbound sides):
    /// new connections use the new certificates, connections in flight finish on the old ones.
    /// </summary>
    public void RotateCertificates(string? endpointId = null)
    {
        var now = _options.Time.GetUtcNow();
        if (endpointId is null)
        {
            Volatile.Write(ref _callerCertificate.Value!, _options.Ca.IssueWorkload(_options.CallerNamespace, _options.CallerServiceAccount));
            Emit(new TargetEvent(now, TargetEventKinds.CertificateRotated, _options.CallerWorkload, "caller workload certificate re-issued"));
        }
        foreach (var h in _hosts.Where(h => endpointId is null || h.Endpoint.Id == endpointId))
        {
            if (h.Endpoint.Inbound is not { } inbound) continue;
            inbound.RotateCertificate();
            Emit(new TargetEvent(now, TargetEventKinds.CertificateRotated, h.Endpoint.Id, "replica workload certificate re-issued"));
        }
    }

    /// <summary>Points a replica at a new address (restarted on another port); outlier state is kept, connections are not.</summary>
    public void UpdateEndpointAddress(string endpointId, Uri address)
    {
        var host = Host(endpointId);
        var endpoint = host.Endpoint with { Address = address };
        host.Readdress(endpoint, CreatePool(endpoint, host.MutualTls, Resources, _connector, _options));
    }

    private UpstreamHost Host(string endpointId) =>
        _hosts.FirstOrDefault(h => h.Endpoint.Id == endpointId) ?? throw new ArgumentException($"no endpoint {endpointId} in the cluster", nameof(endpointId));

    internal void Emit(TargetEvent e)
    {
        lock (_eventsLock) _events.Add(e);
        _options.OnEvent?.Invoke(e);
    }

    /// <summary>Outlier state changed: rebuild the load balancer's snapshot and report traffic leaving or returning to P0.</summary>
    internal void OnHealthChanged()
    {
        var load = LoadBalancer.UpdateHealth(i => Detector?.IsEjected(i) == true);
        var previous = Interlocked.Exchange(ref _lastLoad, load);
        var before = previous?.Load.ElementAtOrDefault(0) ?? 100;
        var after = load.Load.ElementAtOrDefault(0);
        if (before == after) return;
        var kind = after < before && before == 100 ? TargetEventKinds.Failover : after == 100 ? MeshEventKinds.Failback : MeshEventKinds.PriorityLoadChanged;
        Emit(new TargetEvent(_options.Time.GetUtcNow(), kind, ClusterName, $"priority load {load.Describe()}"));
    }
}

/// <summary>Event kinds the mesh adds to Core's TargetEventKinds.</summary>
public static class MeshEventKinds
{
    public const string Failback = "failback";
    public const string PriorityLoadChanged = "priority-load-changed";
}
