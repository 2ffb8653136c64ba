using IndexForge.Resilience.Core.Load.Http;
using IndexForge.Resilience.Core.Load.Recording;
using IndexForge.Resilience.Core.Load.Scheduling;
using IndexForge.Resilience.Core.Load.Sending;

namespace IndexForge.Resilience.Core.Load;

/// <summary>
/// The load engine: runs a scenario's phases back to back at absolute offsets from the load start,
/// records every request in the window of its intended send time, and returns the windows.
/// docs/load-engine.md describes the model, the measurements and the saturation rule.
/// </summary>
public sealed class LoadEngine : ILoadEngine
{
    private readonly ILoadTransportFactory _transports;

    public LoadEngine() : this(new HttpTransportFactory())
    {
    }

    internal LoadEngine(ILoadTransportFactory transports) => _transports = transports;

    public async Task<LoadRun> RunAsync(LoadPlan plan, ILoadObserver? observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Validate(plan);
        var spec = plan.Spec;
        var clock = LoadClock.For(plan.Time);
        var schedule = spec.Schedule();
        var grid = new WindowGrid(schedule, plan.Window, clock.Ts);
        var recorder = new LoadRecorder(grid, clock.Ts, spec.Timeout, plan.Window);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var requests = new RequestExecutor(recorder, clock, spec.Timeout, run.Token);
        using var cancelRequests = run.Token.Register(requests.CancelAll);
        var pool = new SendPool(spec.MaxInFlight, requests);
        var mix = new RequestMix(spec.Requests);
        var transports = new Dictionary<LoadEndpoint, ILoadTransport>();
        var live = new LiveView(observer);

        var now = plan.Time.GetUtcNow();
        var startedAt = plan.StartAt ?? now;
        var loadStart = clock.Now + clock.Ts.FromTimeSpan(startedAt - now);
        recorder.LoadStart = loadStart;
        // Lanes exist before anything runs, so no window closes ahead of a phase that starts late.
        var lanes = schedule.Select(s => recorder.AddLane(loadStart + clock.Ts.FromTimeSpan(s.Start))).ToArray();
        var phasesDone = new CancellationTokenSource();
        using var stopSweeping = new CancellationTokenSource();
        var sweeper = requests.SweepAsync(stopSweeping.Token);
        var collector = CollectAsync(recorder, clock, live, phasesDone.Token, run.Token);
        var background = new List<Task>();
        try
        {
            Task phases = clock.IsRealTime
                ? DedicatedThread.Run(() => RunPhasesAsync(plan, schedule, clock, recorder, lanes, pool, requests, mix, transports, live, background, run.Token))
                : RunPhasesAsync(plan, schedule, clock, recorder, lanes, pool, requests, mix, transports, live, background, run.Token).AsTask();
            await phases.ConfigureAwait(false);
        }
        catch
        {
            await run.CancelAsync().ConfigureAwait(false);
            foreach (var lane in lanes) lane.Finish();
            throw;
        }
        finally
        {
            phasesDone.Cancel();
            try
            {
                await Task.WhenAll(background).ConfigureAwait(false);
                await collector.ConfigureAwait(false);
            }
            finally
            {
                await stopSweeping.CancelAsync().ConfigureAwait(false);
                await sweeper.ConfigureAwait(false);
                pool.Stop();
                foreach (var transport in transports.Values) await transport.DisposeAsync().ConfigureAwait(false);
                phasesDone.Dispose();
            }
        }

        var windows = recorder.ClosedWindows;
        var saturation = Saturation.Evaluate(windows);
        return new LoadRun
        {
            StartedAt = startedAt,
            Windows = windows,
            Phases = [.. schedule.Select(s => new Results.PhaseSpan(s.Phase.Name, s.Phase.Type, s.Start, s.Start + s.Phase.Length, s.Phase.Route))],
            Saturated = saturation is not null,
            SaturationReason = saturation,
            Cancelled = cancellationToken.IsCancellationRequested,
            LateResults = recorder.Late,
        };
    }

    private async ValueTask RunPhasesAsync(
        LoadPlan plan, IReadOnlyList<(PhaseOptions Phase, TimeSpan Start)> schedule, LoadClock clock, LoadRecorder recorder,
        Lane[] lanes, SendPool pool, RequestExecutor requests, RequestMix mix, Dictionary<LoadEndpoint, ILoadTransport> transports,
        LiveView live, List<Task> background, CancellationToken ct)
    {
        try
        {
            for (var p = 0; p < schedule.Count && !ct.IsCancellationRequested; p++)
            {
                var (phase, offset) = schedule[p];
                var start = recorder.LoadStart + clock.Ts.FromTimeSpan(offset);
                ILoadTransport? transport = null;
                if (PhaseExecutors.Sends(phase))
                {
                    // Resolved before the phase is due, so connection setup is not on the schedule's clock.
                    var endpoint = plan.Resolve(phase);
                    if (!transports.TryGetValue(endpoint, out transport)) transports[endpoint] = transport = _transports.Create(endpoint, plan);
                }
                if (clock.Now < start) await clock.WaitUntilAsync(start, ct).ConfigureAwait(false);
                if (ct.IsCancellationRequested) break;
                live.PhaseStarted(phase.Name, offset);
                var context = new PhaseContext
                {
                    Phase = phase,
                    Index = p,
                    Start = start,
                    End = start + clock.Ts.FromTimeSpan(phase.Length),
                    Clock = clock,
                    Recorder = recorder,
                    Lane = lanes[p],
                    Sender = pool,
                    Requests = requests,
                    Mix = mix,
                    Seed = unchecked(plan.Seed * 31 + p),
                    Share = plan.Share,
                    Transport = transport,
                    Cancellation = ct,
                };
                await PhaseExecutors.For(phase).RunAsync(context).ConfigureAwait(false);
                lock (background) background.AddRange(context.Background);
            }
        }
        finally
        {
            // Phases that never ran (cancelled) must not hold their windows open.
            foreach (var lane in lanes) lane.Finish();
        }
    }

    /// <summary>
    /// Closes windows as they become ready and hands each to the observer. Ends once every window
    /// is closed or, when the run was cancelled, once the windows begun before the cut-off are.
    /// </summary>
    private static async Task CollectAsync(LoadRecorder recorder, LoadClock clock, LiveView live, CancellationToken phasesDone, CancellationToken run)
    {
        var cutoff = long.MaxValue;
        while (recorder.ClosedCount < recorder.Grid.Count)
        {
            var now = clock.Now;
            if (cutoff == long.MaxValue && phasesDone.IsCancellationRequested && run.IsCancellationRequested) cutoff = now;
            var closed = recorder.CloseReady(now, cutoff);
            if (closed is not null) live.Windows(closed);
            live.Deliver();
            if (recorder.ClosedCount < recorder.Grid.Count && recorder.LoadStart + recorder.Grid.Windows[recorder.ClosedCount].StartTicks >= cutoff) break;
            await clock.DelayAsync(LoadConstants.CollectInterval, CancellationToken.None).ConfigureAwait(false);
        }
        live.Deliver();
    }

    private static void Validate(LoadPlan plan)
    {
        var errors = new List<string>();
        var spec = plan.Spec;
        if (spec.Phases.Count == 0) errors.Add("the load has no phases");
        if (spec.Requests.Count == 0) errors.Add("the load has no requests");
        if (spec.Requests.Any(r => r.Weight < 1)) errors.Add("every request weight must be at least 1");
        if (spec.Timeout <= TimeSpan.Zero) errors.Add("the request timeout must be positive");
        if (spec.MaxInFlight < 1) errors.Add("maxInFlight must be at least 1");
        if (spec.Connections < 1) errors.Add("connections must be at least 1");
        if (plan.Window <= TimeSpan.Zero) errors.Add("the window must be positive");
        errors.AddRange(plan.Share.Problems());
        foreach (var phase in spec.Phases.Where(p => p.Length <= TimeSpan.Zero)) errors.Add($"phase '{phase.Name}' has no length");
        if (errors.Count > 0) throw new ArgumentException("invalid load plan: " + string.Join("; ", errors), nameof(plan));
    }
}
