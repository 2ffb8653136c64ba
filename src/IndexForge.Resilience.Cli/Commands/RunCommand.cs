using System.CommandLine;
using System.Globalization;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Core.Running;
using IndexForge.Resilience.Core.Scenarios;
using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Cli.Commands;

/// <summary><c>run</c>: validate every scenario, run them on a target, write reports/&lt;run-id&gt;/, exit by verdict.</summary>
public static class RunCommand
{
    public static Command Create(RepoLayout layout, TextWriter output, TextWriter error)
    {
        var scenarios = new Argument<string[]>("scenario")
        {
            Description = "Scenario files to run; without any, every scenario of --suite under scenarios/.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var target = new Option<string>("--target")
        {
            Description = "Where to run: embedded (default, needs only the .NET SDK), k3s (needs Docker), kubeconfig (an existing cluster).",
            DefaultValueFactory = _ => TargetNames.Embedded,
        };
        target.AcceptOnlyFromAmong([.. TargetNames.All]);
        var seed = new Option<int?>("--seed") { Description = "Seed for every random choice (fault schedules, request mix); the same seed replays the same run." };
        var outDir = new Option<string?>("--out") { Description = "Report directory (default: reports/<run-id>/)." };
        var suite = new Option<string>("--suite")
        {
            Description = "Suite to run when no scenario file is given: default (fast timings) or certify (the plan's real timings).",
            DefaultValueFactory = _ => ScenarioConstants.DefaultSuite,
        };
        suite.AcceptOnlyFromAmong(ScenarioConstants.DefaultSuite, ScenarioConstants.CertifySuite);
        var pushgateway = new Option<string?>("--pushgateway") { Description = "Push the run's figures to this Prometheus Pushgateway (e.g. http://127.0.0.1:9091) for nightly trends." };
        var controls = new Option<bool>("--controls") { Description = "Also run each scenario's negative controls (variants under which named assertions must fail)." };
        var targetOptions = TargetCommandOptions.Create();

        var command = new Command("run", "Run scenarios and write reports/<run-id>/ (index.html, summary.json, junit.xml, summary.md).")
        {
            scenarios, target, seed, outDir, suite, controls, pushgateway,
        };
        targetOptions.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var files = parse.GetValue(scenarios) is { Length: > 0 } given ? given.ToList() : null;
            var suiteName = parse.GetValue(suite)!;
            var loader = new ScenarioLoader(ScenarioCatalog.Default, layout.Clusters);
            IReadOnlyList<Scenario> loaded;
            try
            {
                if (files is null)
                {
                    var all = ScenarioFiles.All(layout);
                    loaded = loader.LoadAll(all).Where(s => s.Suites.Contains(suiteName)).ToList();
                    if (loaded.Count == 0)
                    {
                        await error.WriteLineAsync($"no scenario under {layout.Scenarios} belongs to suite '{suiteName}'");
                        return ExitCodes.InvalidInput;
                    }
                }
                else
                {
                    loaded = loader.LoadAll(files);
                }
            }
            catch (ScenarioValidationException e)
            {
                foreach (var problem in e.Errors) await error.WriteLineAsync(problem.ToString());
                await error.WriteLineAsync($"{e.Errors.Count} error(s); nothing was started.");
                return ExitCodes.InvalidInput;
            }

            var targetName = parse.GetValue(target)!;
            var options = targetOptions.Read(parse, layout);
            int? loadAgents = null;
            if (options.Extra.TryGetValue("load-agents", out var agentsText))
            {
                var n = int.Parse(agentsText, CultureInfo.InvariantCulture);
                if (targetName == TargetNames.Embedded)
                {
                    await error.WriteLineAsync("--load-agents needs --target k3s or --target kubeconfig: load agents are pods of a Kubernetes Job; the embedded target generates load in this process");
                    return ExitCodes.InvalidInput;
                }
                if (n < 1 || n > Kubernetes.LoadAgents.LoadAgentConstants.MaxAgents)
                {
                    await error.WriteLineAsync($"--load-agents must be between 1 and {Kubernetes.LoadAgents.LoadAgentConstants.MaxAgents}, got {n}");
                    return ExitCodes.InvalidInput;
                }
                loadAgents = n;
            }
            // --vault-address problems (no VAULT_TOKEN, unreadable CA) are input errors, reported before anything starts.
            try { _ = Kubernetes.Targets.ExternalVaultOptions.From(options, Environment.GetEnvironmentVariable); }
            catch (Kubernetes.Kube.KubernetesTargetException e)
            {
                await error.WriteLineAsync(e.Message);
                return ExitCodes.InvalidInput;
            }
            ITargetFactory factory;
            try { factory = Targets.Get(targetName); }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync(e.Message);
                return ExitCodes.InvalidInput;
            }

            var runSeed = parse.GetValue(seed) ?? Environment.TickCount & 0x7fffffff;
            var now = TimeProvider.System.GetUtcNow();
            var runId = $"{now:yyyyMMdd-HHmmss}-{(runSeed & 0xffff).ToString("x4", CultureInfo.InvariantCulture)}";
            var directory = Path.GetFullPath(parse.GetValue(outDir) ?? Path.Combine(layout.Reports, runId));
            Directory.CreateDirectory(directory);
            var work = Path.Combine(Path.GetTempPath(), "indexforge-resilience", runId);

            IRunObserver observer = Cli.Progress.ProgressObserverFactory.Create(output: output);
            // --halt-on stops the run when the steady state breaks beyond a bound (Gremlin / Chaos Toolkit style).
            using var guard = options.Extra.TryGetValue("halt-on", out var haltOn) ? TryGuard(haltOn, error) : null;
            if (options.Extra.ContainsKey("halt-on") && guard is null) return ExitCodes.InvalidInput;
            if (guard is not null) observer = new Kubernetes.Halt.HaltingRunObserver(observer, guard);
            using var halt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, guard?.Token ?? CancellationToken.None);
            ITarget? current = null;
            var engine = loadAgents is { } agents ? Engines.Agents(agents, () => current, line => error.WriteLine(line)) : Engines.Load();
            var runner = new SuiteRunner(() => current = factory.Create(options), engine, Engines.Assertions(), observer);
            RunResult result;
            try
            {
                result = await runner.RunAsync(loaded, new RunOptions
                {
                    RunId = runId,
                    Seed = runSeed,
                    WorkDirectory = work,
                    ClustersDirectory = layout.Clusters,
                    TargetName = targetName,
                    Suite = files is null ? suiteName : null,
                    NegativeControls = parse.GetValue(controls),
                    CommandLine = Environment.GetCommandLineArgs().Skip(1).ToList(),
                    Lint = Linting.ForRun(),
                }, halt.Token);
                if (guard?.Reason is { } reason) result = result with { Aborted = true, AbortReason = $"halted: {reason}" };
            }
            finally
            {
                TryDelete(work);
                (observer as IDisposable)?.Dispose();
            }

            var written = Reporting.Write(result, directory, error);
            if (parse.GetValue(pushgateway) is { } gateway)
            {
                try
                {
                    using var http = new HttpClient();
                    await new Reports.Pushgateway.PushgatewayPublisher(http).PushAsync(result, new Uri(gateway), cancellationToken);
                    await output.WriteLineAsync($"pushed run figures to {gateway}");
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    await error.WriteLineAsync($"pushgateway: {e.Message}");
                }
            }
            await output.WriteLineAsync($"verdict: {result.Verdict.ToString().ToUpperInvariant()}{(result.Aborted ? " (aborted)" : "")}");
            await output.WriteLineAsync($"report: {Path.Combine(directory, "index.html")}");
            foreach (var file in written) await output.WriteLineAsync($"  {Path.GetRelativePath(directory, file)}");
            return result.Verdict.ToExitCode();
        });
        return command;
    }

    private static Kubernetes.Halt.SteadyStateGuard? TryGuard(string text, TextWriter error)
    {
        try { return Kubernetes.Halt.SteadyStateGuard.Parse(text); }
        catch (FormatException e)
        {
            error.WriteLine($"--halt-on: {e.Message}");
            return null;
        }
    }

    private static void TryDelete(string directory)
    {
        try { if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
    }
}
