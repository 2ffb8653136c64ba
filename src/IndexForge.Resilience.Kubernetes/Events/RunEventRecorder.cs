using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Kubernetes.Events;

/// <summary>
/// Polls the run's event sources in one background loop from Up to Down: every source once per
/// interval, each poll bounded by a timeout, at most <see cref="RunEventConstants.MaxEvents"/> events
/// kept. A failing source is reported once as an <see cref="KubeEventKinds.EventSourceFailed"/> event
/// and polled again next time; <see cref="StopAsync"/> cancels the loop and waits for it.
/// </summary>
public sealed class RunEventRecorder : IAsyncDisposable
{
    private readonly IReadOnlyList<IRunEventSource> _sources;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _pollTimeout;
    private readonly int _maxEvents;
    private readonly List<TargetEvent> _events = [];
    private readonly HashSet<string> _failedSources = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private long _dropped;
    private long _failedPolls;

    public RunEventRecorder(IReadOnlyList<IRunEventSource> sources, TimeProvider time, TimeSpan? interval = null, TimeSpan? pollTimeout = null,
        int maxEvents = RunEventConstants.MaxEvents)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEvents, 1);
        (_sources, _time, _maxEvents) = (sources, time, maxEvents);
        _interval = interval ?? RunEventConstants.PollInterval;
        _pollTimeout = pollTimeout ?? RunEventConstants.PollTimeout;
    }

    /// <summary>Events not kept because <see cref="RunEventConstants.MaxEvents"/> was reached.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long FailedPolls => Interlocked.Read(ref _failedPolls);

    public void Start() => _loop = Task.Run(() => LoopAsync(_stop.Token));

    public IReadOnlyList<TargetEvent> Since(DateTimeOffset since)
    {
        lock (_gate) return _events.Where(e => e.At >= since).ToList();
    }

    /// <summary>Runs every source once (the loop's body; tests drive it directly).</summary>
    public async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var source in _sources)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_pollTimeout);
            try
            {
                Add(await source.PollAsync(_time.GetUtcNow(), timeout.Token).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref _failedPolls);
                bool first;
                lock (_gate) first = _failedSources.Add(source.Name);
                var why = e is OperationCanceledException ? $"no answer within {_pollTimeout.TotalSeconds:0.#}s" : e.Message;
                if (first) Add([new TargetEvent(_time.GetUtcNow(), KubeEventKinds.EventSourceFailed, source.Name, $"first failure: {why}")]);
            }
        }
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await PollOnceAsync(ct).ConfigureAwait(false);
                await Task.Delay(_interval, _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void Add(IReadOnlyList<TargetEvent> events)
    {
        if (events.Count == 0) return;
        lock (_gate)
        {
            foreach (var e in events)
            {
                if (_events.Count >= _maxEvents) Interlocked.Increment(ref _dropped);
                else _events.Add(e);
            }
        }
    }

    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
