namespace IndexForge.Resilience.Vault.Consumption;

/// <summary>
/// Re-reads a secret on an interval (as Vault Agent does) and keeps the bookkeeping of successes and failures.
/// A failed read never throws out of the loop: the owner keeps serving what it has and reports the staleness.
/// </summary>
internal sealed class RefreshLoop : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly Func<CancellationToken, Task> _refresh;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _single = new(1, 1);
    private CancellationTokenSource? _stop;
    private Task? _loop;
    private DateTimeOffset? _lastSuccess;
    private DateTimeOffset? _lastAttempt;
    private DateTimeOffset? _lastErrorAt;
    private string? _lastError;
    private int _consecutiveFailures;
    private long _refreshes;
    private long _failures;

    public RefreshLoop(TimeProvider time, TimeSpan interval, Func<CancellationToken, Task> refresh)
    {
        _time = time;
        _interval = interval;
        _refresh = refresh;
    }

    /// <summary>One read now; true when it succeeded (or, with <paramref name="rethrow"/>, the failure is thrown after being recorded). Reads never overlap.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken, bool rethrow = false)
    {
        await _single.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_gate) _lastAttempt = _time.GetUtcNow();
            try
            {
                await _refresh(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                lock (_gate)
                {
                    _lastError = $"{e.GetType().Name}: {e.Message}";
                    _lastErrorAt = _time.GetUtcNow();
                    _consecutiveFailures++;
                    _failures++;
                }
                if (rethrow) throw;
                return false;
            }
            lock (_gate)
            {
                _lastSuccess = _time.GetUtcNow();
                _consecutiveFailures = 0;
                _refreshes++;
            }
            return true;
        }
        finally
        {
            _single.Release();
        }
    }

    public void Start()
    {
        if (_loop is not null) throw new InvalidOperationException("already started");
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(_interval, _time);
            try
            {
                while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false)) await RunOnceAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
            }
        }, CancellationToken.None);
    }

    public SecretCacheStatus Fill(SecretCacheStatus status)
    {
        lock (_gate)
        {
            return status with
            {
                LastSuccessAt = _lastSuccess,
                LastAttemptAt = _lastAttempt,
                Staleness = _lastSuccess is { } at ? _time.GetUtcNow() - at : TimeSpan.Zero,
                LastError = _lastError,
                LastErrorAt = _lastErrorAt,
                ConsecutiveFailures = _consecutiveFailures,
                Refreshes = _refreshes,
                Failures = _failures,
            };
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop is null) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _stop = null;
    }
}
