using System.Collections.Concurrent;
using IndexForge.Resilience.Core.Alerts;
using IndexForge.Resilience.Core.Assertions;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Metrics;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Core.Running;

/// <summary>
/// One scenario (or one negative-control variant) on a fresh target: up, load with the fault
/// timeline beside it, metrics scraped each second, every fault reverted (window end, failure,
/// Ctrl-C), down, then assertions over what was measured.
/// </summary>
internal sealed class ScenarioRunner(
    Func<ITarget> createTarget, ILoadEngine engine, AssertionEvaluators evaluators, IRunObserver observer, RunOptions options)
{
    private static readonly TimeSpan RevertTimeout = TimeSpan.FromSeconds(30);

    public bool Aborted { get; private set; }

    public async Task<(ScenarioResult Result, IReadOnlyList<Finding> Lint)> RunAsync(
        Scenario scenario, NegativeControlSpec? control, CancellationToken cancellationToken)
    {
        var time = options.Time;
        var startedAt = time.GetUtcNow();
        var name = control is null ? scenario.Name : $"{scenario.Name} [control: {control.Name}]";
        _scenario = scenario.Name;
        observer.ScenarioStarted(scenario.Name, control?.Name, scenario.TotalDuration);
        var warnings = new List<string>();
        var lint = new List<Finding>();
        var faults = new ConcurrentDictionary<string, FaultState>();
        LoadRun? load = null;
        TargetEnvironment? environment = null;
        var series = new List<(TimeSpan, MetricSet)>();
        var events = new List<TimelineEvent>();
        AlertTimeline? alerts = null;
        string? error = null;

        var meshDirectory = Path.GetFullPath(Path.Combine(options.ClustersDirectory, scenario.Mesh));
        if (options.Lint is { } lintMesh)
        {
            try { lint.AddRange(lintMesh(meshDirectory)); }
            catch (Exception e) { warnings.Add($"configuration review failed: {e.Message}"); }
        }

        var target = createTarget();
        try
        {
            var unsupported = scenario.Faults.Select(f => f.Type).Distinct().Where(t => !target.SupportedFaults.Contains(t)).ToList();
            if (unsupported.Count > 0)
                throw new TargetException($"target '{target.Name}' cannot inject: {string.Join(", ", unsupported)}");

            var workDirectory = Path.Combine(options.WorkDirectory, Sanitize(name));
            Directory.CreateDirectory(workDirectory);
            using (var upTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                upTimeout.CancelAfter(RunConstants.TargetTimeout);
                environment = await target.UpAsync(new TargetRequest
                {
                    Scenario = scenario,
                    MeshConfigDirectory = meshDirectory,
                    RunId = options.RunId,
                    Seed = options.Seed,
                    Time = time,
                    WorkDirectory = workDirectory,
                }, upTimeout.Token);
            }
            warnings.AddRange(environment.Warnings);

            var env = environment;
            var random = new Random(options.Seed);
            var loadStart = time.GetUtcNow();
            var startTimestamp = time.GetTimestamp();
            TimeSpan Now() => time.GetElapsedTime(Volatile.Read(ref startTimestamp));
            var emitted = new ConcurrentQueue<TargetEvent>();
            var context = new FaultContext(env, time, random, emitted.Enqueue);

            using var loadDone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task? scraping = null;
            Task<AlertTimeline>? alerting = null;
            var timeline = new List<Task>();
            void StartBeside()
            {
                scraping = ScrapeAsync(target.Metrics, Now, series, warnings, loadDone.Token);
                alerting = env.Alerts is { } alertSource
                    ? AlertRecorder.RecordAsync(alertSource, Now, time, AlertConstants.PollInterval, loadDone.Token)
                    : null;
                timeline.AddRange(scenario.Faults
                    .Select(f => RunFaultAsync(target.GetInjector(f.Type), f, scenario.TotalDuration, context, Now, faults, loadDone.Token)));
            }

            // An engine that schedules its start ahead (load agents) announces it; the timeline,
            // scrapes and alerts then begin at that same origin. Otherwise the load starts now.
            var announced = engine.AnnouncesStart ? new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously) : null;
            Task beside;
            if (announced is null)
            {
                StartBeside();
                beside = Task.CompletedTask;
            }
            else
            {
                beside = StartAtAnnouncedAsync();
            }
            async Task StartAtAnnouncedAsync()
            {
                var at = await announced.Task.WaitAsync(loadDone.Token);
                loadStart = at;
                Volatile.Write(ref startTimestamp, time.GetTimestamp() + (long)((at - time.GetUtcNow()).Ticks * (double)time.TimestampFrequency / TimeSpan.TicksPerSecond));
                var wait = at - time.GetUtcNow();
                if (wait > TimeSpan.Zero) await Task.Delay(wait, time, loadDone.Token);
                StartBeside();
            }

            var plan = new LoadPlan
            {
                Spec = scenario.Load,
                Resolve = phase => Resolve(phase, env, scenario),
                Seed = options.Seed,
                Time = time,
                Credential = env.CallerCredential,
                StartScheduled = announced is null ? null : at => announced.TrySetResult(at),
            };
            try
            {
                load = await engine.RunAsync(plan, new LoadObserver(observer, scenario.Name), cancellationToken);
            }
            finally
            {
                await loadDone.CancelAsync();
                await beside.ContinueWith(_ => { }, TaskScheduler.Default);
                await RevertAllAsync(faults, Now);
                await Task.WhenAll(timeline.Append(scraping ?? Task.CompletedTask).Append(alerting ?? Task.CompletedTask).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
                if (alerting is { IsCompletedSuccessfully: true }) alerts = alerting.Result;
            }

            events.AddRange(target.EventsSince(loadStart).Concat(emitted).OrderBy(e => e.At)
                .Select(e => new TimelineEvent(e.At - loadStart, e.Kind, e.Subject, e.Detail)));
            if (load.Saturated) warnings.Add($"load generator saturated: {load.SaturationReason}; latency figures describe the generator, not the target");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Aborted = true;
            error = "aborted: interrupted before the scenario finished";
        }
        catch (Exception e)
        {
            // Whatever broke (the environment, an injector, the harness), the run still ends in a
            // report: the scenario's verdict is an error, with the reason, and the next one runs.
            error = e is TargetException ? e.Message : $"{e.GetType().Name}: {e.Message}";
        }
        finally
        {
            await RevertAllAsync(faults, () => TimeSpan.Zero);
            try
            {
                using var downTimeout = new CancellationTokenSource(RunConstants.TargetTimeout);
                await target.DownAsync(downTimeout.Token);
            }
            catch (Exception e) { warnings.Add($"tear-down failed: {e.Message}"); }
            await target.DisposeAsync();
        }

        var faultRecords = faults.Values.OrderBy(f => f.Start).Select(f => f.ToRecord()).ToList();
        var assertions = new List<AssertionResult>();
        if (load is not null && environment is not null && error is null)
        {
            var ctx = new AssertionContext
            {
                Scenario = scenario,
                Load = load,
                Faults = faultRecords,
                Events = events,
                MetricSeries = series,
                Environment = environment,
                Alerts = alerts,
                MeshConfigDirectory = meshDirectory,
            };
            foreach (var a in scenario.Assertions) assertions.Add(Evaluate(a, ctx));
            if (control is not null) assertions = ControlVerdicts(control, assertions);
        }

        var verdict = error is not null ? Verdict.Error : assertions.Select(a => a.Verdict).Combine();
        var result = new ScenarioResult
        {
            Name = scenario.Name,
            File = scenario.SourceFile,
            Claim = scenario.Claim,
            PlanSection = scenario.PlanSection,
            MeshConfig = scenario.Mesh,
            NegativeControlOf = control is null ? null : control.Name,
            StartedAt = startedAt,
            Duration = time.GetUtcNow() - startedAt,
            Verdict = verdict,
            Phases = load?.Phases ?? [],
            Faults = faultRecords,
            Windows = load?.ToWindowStats() ?? [],
            Load = load?.Summarize() ?? LoadSummary.Empty,
            Assertions = assertions,
            Findings = assertions.SelectMany(a => a.Findings).DistinctBy(f => f.Id).ToList(),
            Warnings = warnings,
            Events = events,
            Distributions = assertions.SelectMany(a => a.Distributions).DistinctBy(d => d.Name).ToList(),
            Error = error,
        };
        return (result, lint);
    }

    private AssertionResult Evaluate(AssertionOptions a, AssertionContext ctx)
    {
        if (!evaluators.TryGet(a.Type, out var evaluator))
        {
            return new AssertionResult
            {
                Name = a.Name, Type = a.Type, Verdict = Verdict.Error, Expected = a.Type, Observed = "not evaluated",
                Message = $"no evaluator for assertion type '{a.Type}' in this build",
            };
        }
        try
        {
            return evaluator.Evaluate(a, ctx);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            return new AssertionResult
            {
                Name = a.Name, Type = a.Type, Verdict = Verdict.Error, Expected = a.Type, Observed = "not evaluated",
                Message = $"could not evaluate: {e.Message}",
            };
        }
    }

    /// <summary>A control holds when every assertion it names failed; those verdicts are what it reports.</summary>
    private static List<AssertionResult> ControlVerdicts(NegativeControlSpec control, List<AssertionResult> raw)
    {
        var list = new List<AssertionResult>();
        foreach (var name in control.MustFail)
        {
            var r = raw.First(a => a.Name == name);
            var held = r.Verdict == Verdict.Fail;
            list.Add(r with
            {
                Name = $"{name} must fail under {control.Name}",
                Verdict = r.Verdict is Verdict.Skipped or Verdict.Error ? r.Verdict : held ? Verdict.Pass : Verdict.Fail,
                Expected = $"fails: {r.Expected}",
                Message = held
                    ? $"negative control held: the assertion failed as it must ({control.Why ?? control.Name})"
                    : $"negative control did NOT hold: '{name}' passed under {control.Name}, so it cannot tell a broken platform from a working one",
            });
        }
        return list;
    }

    private static LoadEndpoint Resolve(PhaseOptions phase, TargetEnvironment env, Scenario scenario)
    {
        if (phase.Route != Routes.Direct) return new LoadEndpoint(env.EntryPoint);
        var id = phase.Replica ?? scenario.Topology.ReplicaIds().First(r => r.Region == scenario.Topology.CallerRegion).Id;
        var replica = env.Replicas.FirstOrDefault(r => r.Id == id) ?? throw new TargetException($"replica '{id}' is not up");
        return new LoadEndpoint(replica.Address, env.WorkloadTls);
    }

    private async Task RunFaultAsync(IFaultInjector injector, FaultOptions fault, TimeSpan total, FaultContext context, Func<TimeSpan> now,
        ConcurrentDictionary<string, FaultState> states, CancellationToken cancellationToken)
    {
        try
        {
            await DelayUntil(fault.At, now, context.Time, cancellationToken);
        }
        catch (OperationCanceledException) { return; }
        var state = states[fault.Name] = new FaultState(fault, now());
        try
        {
            state.Active = await injector.InjectAsync(fault, context, cancellationToken);
            state.Injected = true;
            observer.FaultInjected(_scenario, state.ToRecord());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            state.End = now();
            return;
        }
        catch (Exception e)
        {
            // A fault that could not be injected is evidence, not a crash: the report shows why.
            state.Error = e.Message;
            state.End = now();
            return;
        }

        if (fault.Instantaneous && fault.Duration is null)
        {
            state.End = state.Start;
            state.Reverted = true;
            return;
        }
        try
        {
            await DelayUntil(fault.EndWithin(total), now, context.Time, cancellationToken);
        }
        catch (OperationCanceledException) { /* reverted by RevertAllAsync */ return; }
        await RevertAsync(state, now);
    }

    private string _scenario = "";

    private static async Task DelayUntil(TimeSpan at, Func<TimeSpan> now, TimeProvider time, CancellationToken ct)
    {
        var wait = at - now();
        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, ct);
    }

    private async Task RevertAllAsync(ConcurrentDictionary<string, FaultState> states, Func<TimeSpan> now)
    {
        foreach (var state in states.Values.Where(s => s.Active is not null && !s.Reverted)) await RevertAsync(state, now);
    }

    private async Task RevertAsync(FaultState state, Func<TimeSpan> now)
    {
        if (state.Active is null || state.Reverted) return;
        state.Reverted = true;
        try
        {
            using var timeout = new CancellationTokenSource(RevertTimeout);
            await state.Active.RevertAsync(timeout.Token);
        }
        catch (Exception e)
        {
            state.Error = $"revert failed: {e.Message}";
        }
        state.End ??= now();
        observer.FaultReverted(_scenario, state.ToRecord());
    }

    private static async Task ScrapeAsync(IMetricsSource source, Func<TimeSpan> now, List<(TimeSpan, MetricSet)> series,
        List<string> warnings, CancellationToken cancellationToken)
    {
        string? lastError = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var set = await source.ScrapeAsync(cancellationToken);
                lock (series) series.Add((now(), set));
            }
            catch (OperationCanceledException) { break; }
            catch (Exception e) when (e.Message != lastError)
            {
                lastError = e.Message;
                lock (warnings) warnings.Add($"metrics scrape failed: {e.Message}");
            }
            catch (Exception) { }
            try { await Task.Delay(RunConstants.DefaultScrapeInterval, cancellationToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    private static string Sanitize(string name) =>
        string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-'));

    private sealed class FaultState(FaultOptions options, TimeSpan start)
    {
        public FaultOptions Options { get; } = options;
        public TimeSpan Start { get; } = start;
        public TimeSpan? End { get; set; }
        public IActiveFault? Active { get; set; }
        public bool Injected { get; set; }
        public bool Reverted { get; set; }
        public string? Error { get; set; }

        public FaultRecord ToRecord() => new()
        {
            Name = Options.Name,
            Type = Options.Type,
            Subject = Options.Subject,
            Target = Options.Target,
            Start = Start,
            End = End,
            Injected = Injected,
            Reverted = Reverted,
            Error = Error,
            Details = Active?.Details ?? new Dictionary<string, string>(),
        };
    }

    private sealed class LoadObserver(IRunObserver observer, string scenario) : ILoadObserver
    {
        public void OnPhaseStarted(string phase, TimeSpan at) => observer.PhaseStarted(scenario, phase, at);
        public void OnWindow(WindowStats window) => observer.Window(scenario, window);
    }
}

/// <summary>The environment could not be brought up or used; the run's verdict is an error (exit 2).</summary>
public sealed class TargetException(string message, Exception? inner = null) : Exception(message, inner);
