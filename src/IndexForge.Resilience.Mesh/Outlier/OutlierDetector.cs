using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Mesh.Outlier;

/// <summary>
/// Envoy's consecutive-error outlier detector (outlier_detection_impl.cc), host by host:
/// <list type="bullet">
/// <item>every upstream response is reported; a 5xx bumps the 5xx counter and, for 502/503/504, the
/// gateway counter; anything else resets both. Reaching a threshold exactly (==) triggers an ejection
/// attempt at once (inline), which resets only that counter;</item>
/// <item>an attempt ejects only if 100 × (ejected + 1) / hosts ≤ maxEjectionPercent over all hosts of
/// all priorities, else it counts an overflow; a detected type whose enforcement is off ejects nothing;</item>
/// <item>each ejection bumps the host's backoff multiplier while base × backoff &lt; max + base; a sweep
/// every interval unejects a host once min(base × backoff, max) ≤ now − ejected at (all counters reset),
/// and lowers the multiplier by one for each host healthy for at least an interval since its unejection.</item>
/// </list>
/// Reporting is lock-free; state changes (rare) take one lock and publish through the callbacks.
/// </summary>
public sealed class OutlierDetector : IDisposable
{
    private readonly HostMonitor[] _hosts;
    private readonly TimeProvider _time;
    private readonly Action<TargetEvent>? _onEvent;
    private readonly Action? _onHealthChanged;
    private readonly object _gate = new();
    private readonly ITimer? _timer;
    private int _ejectionsActive;
    private long _ejectionsEnforcedTotal, _ejectionsOverflow, _detected5xx, _detectedGateway, _enforced5xx, _enforcedGateway;

    public OutlierDetector(OutlierDetectorSettings settings, IReadOnlyList<string> hostIds, TimeProvider time,
        Action<TargetEvent>? onEvent = null, Action? onHealthChanged = null, bool startTimer = true)
    {
        Settings = settings;
        _hosts = hostIds.Select(id => new HostMonitor(id)).ToArray();
        _time = time;
        _onEvent = onEvent;
        _onHealthChanged = onHealthChanged;
        if (startTimer) _timer = time.CreateTimer(_ => Sweep(), null, settings.Interval, settings.Interval);
    }

    public OutlierDetectorSettings Settings { get; }
    public int HostCount => _hosts.Length;
    public int EjectionsActive => Volatile.Read(ref _ejectionsActive);
    public long EjectionsEnforcedTotal => Interlocked.Read(ref _ejectionsEnforcedTotal);
    public long EjectionsOverflow => Interlocked.Read(ref _ejectionsOverflow);
    public long EjectionsDetectedConsecutive5xx => Interlocked.Read(ref _detected5xx);
    public long EjectionsDetectedConsecutiveGatewayFailure => Interlocked.Read(ref _detectedGateway);
    public long EjectionsEnforcedConsecutive5xx => Interlocked.Read(ref _enforced5xx);
    public long EjectionsEnforcedConsecutiveGatewayFailure => Interlocked.Read(ref _enforcedGateway);

    public bool IsEjected(int host) => _hosts[host].Ejected;

    public OutlierHostState State(int host)
    {
        var m = _hosts[host];
        lock (_gate) return new(m.Id, m.Ejected, m.NumEjections, m.Backoff, m.LastEjection, m.LastUnejection, Volatile.Read(ref m.Consecutive5xx), Volatile.Read(ref m.ConsecutiveGateway));
    }

    /// <summary>An HTTP response from the host (Envoy putHttpResponseCode).</summary>
    public void ReportHttpStatus(int host, int status)
    {
        var m = _hosts[host];
        if (status is >= 500 and <= 599)
        {
            if (status is 502 or 503 or 504)
            {
                if (Interlocked.Increment(ref m.ConsecutiveGateway) == Settings.ConsecutiveGatewayFailure) OnConsecutiveError(host, EjectionType.GatewayFailure);
            }
            else if (Volatile.Read(ref m.ConsecutiveGateway) != 0) Interlocked.Exchange(ref m.ConsecutiveGateway, 0);
            if (Interlocked.Increment(ref m.Consecutive5xx) == Settings.Consecutive5xx) OnConsecutiveError(host, EjectionType.Consecutive5xx);
        }
        else
        {
            if (Volatile.Read(ref m.Consecutive5xx) != 0) Interlocked.Exchange(ref m.Consecutive5xx, 0);
            if (Volatile.Read(ref m.ConsecutiveGateway) != 0) Interlocked.Exchange(ref m.ConsecutiveGateway, 0);
        }
    }

    /// <summary>
    /// A locally detected failure without split local-origin errors: a connect failure counts as 503,
    /// a timeout as 504 (Envoy resultToHttpCode), so both are gateway errors and 5xx.
    /// </summary>
    public void ReportLocalOriginFailure(int host, bool timeout) => ReportHttpStatus(host, timeout ? 504 : 503);

    private void OnConsecutiveError(int host, EjectionType type)
    {
        var m = _hosts[host];
        lock (_gate)
        {
            if (m.Ejected) return; // Envoy ignores detections for an ejected host and leaves its counter as is
            Interlocked.Increment(ref type == EjectionType.Consecutive5xx ? ref _detected5xx : ref _detectedGateway);
            EjectHost(m, type);
            if (type == EjectionType.Consecutive5xx) Interlocked.Exchange(ref m.Consecutive5xx, 0);
            else Interlocked.Exchange(ref m.ConsecutiveGateway, 0);
        }
    }

    private void EjectHost(HostMonitor m, EjectionType type)
    {
        var ejectedPercent = 100.0 * (_ejectionsActive + 1) / _hosts.Length;
        var now = _time.GetUtcNow();
        if (ejectedPercent > Math.Min(100, Settings.MaxEjectionPercent))
        {
            Interlocked.Increment(ref _ejectionsOverflow);
            _onEvent?.Invoke(new TargetEvent(now, TargetEventKinds.EjectionOverflow, m.Id,
                $"{Describe(type)} detected but not ejected: {Format(ejectedPercent)}% of {_hosts.Length} hosts would be ejected, over maxEjectionPercent {Settings.MaxEjectionPercent}"));
            return;
        }
        if (!(type == EjectionType.Consecutive5xx ? Settings.Enforce5xx : Settings.EnforceGatewayFailure)) return;
        Interlocked.Increment(ref _ejectionsActive);
        Interlocked.Increment(ref _ejectionsEnforcedTotal);
        Interlocked.Increment(ref type == EjectionType.Consecutive5xx ? ref _enforced5xx : ref _enforcedGateway);
        m.Ejected = true;
        m.NumEjections++;
        m.LastEjection = now;
        if (Settings.BaseEjectionTime * m.Backoff < Settings.MaxEjectionTime + Settings.BaseEjectionTime) m.Backoff++;
        var duration = Min(Settings.BaseEjectionTime * m.Backoff, Settings.MaxEjectionTime);
        _onEvent?.Invoke(new TargetEvent(now, TargetEventKinds.Ejected, m.Id,
            $"{Describe(type)}; ejection {m.NumEjections}, for at least {Format(duration.TotalSeconds)}s (multiplier {m.Backoff})"));
        _onHealthChanged?.Invoke();
    }

    /// <summary>The interval sweep (Envoy onIntervalTimer); driven by the TimeProvider timer, callable directly in tests.</summary>
    public void Sweep()
    {
        var changed = false;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var m in _hosts)
            {
                if (!m.Ejected || m.LastEjection is not { } at) continue;
                if (Min(Settings.BaseEjectionTime * m.Backoff, Settings.MaxEjectionTime) > now - at) continue;
                m.Ejected = false;
                Interlocked.Decrement(ref _ejectionsActive);
                Interlocked.Exchange(ref m.Consecutive5xx, 0);
                Interlocked.Exchange(ref m.ConsecutiveGateway, 0);
                m.LastUnejection = now;
                changed = true;
                _onEvent?.Invoke(new TargetEvent(now, TargetEventKinds.Unejected, m.Id,
                    $"back in the load balancing pool after {Format((now - at).TotalSeconds)}s"));
            }
            foreach (var m in _hosts)
                if (!m.Ejected && m.LastUnejection is { } un && now - un >= Settings.Interval && m.Backoff != 0) m.Backoff--;
            if (changed) _onHealthChanged?.Invoke();
        }
    }

    public void Dispose() => _timer?.Dispose();

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
    private static string Format(double v) => v.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
    private string Describe(EjectionType type) => type == EjectionType.Consecutive5xx
        ? $"{Settings.Consecutive5xx} consecutive 5xx"
        : $"{Settings.ConsecutiveGatewayFailure} consecutive gateway errors";

    private enum EjectionType { Consecutive5xx, GatewayFailure }

    private sealed class HostMonitor(string id)
    {
        public readonly string Id = id;
        public int Consecutive5xx;
        public int ConsecutiveGateway;
        private volatile bool _ejected;
        public bool Ejected { get => _ejected; set => _ejected = value; }
        public uint NumEjections;
        public uint Backoff;
        public DateTimeOffset? LastEjection;
        public DateTimeOffset? LastUnejection;
    }
}

/// <summary>One host's outlier state, for reports and tests.</summary>
public sealed record OutlierHostState(string Id, bool Ejected, uint NumEjections, uint BackoffMultiplier,
    DateTimeOffset? LastEjection, DateTimeOffset? LastUnejection, int Consecutive5xx, int ConsecutiveGateway);
