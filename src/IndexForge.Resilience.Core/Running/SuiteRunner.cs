using IndexForge.Resilience.Core.Assertions;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Core.Running;

/// <summary>
/// Runs scenarios one after the other, each on a fresh target, and gathers one immutable
/// <see cref="RunResult"/>. Ctrl-C (the token) stops the current scenario, reverts its faults,
/// tears the target down and still returns a result marked aborted.
/// </summary>
public sealed class SuiteRunner(Func<ITarget> createTarget, ILoadEngine engine, AssertionEvaluators evaluators, IRunObserver observer)
{
    public Task<RunResult> RunAsync(IReadOnlyList<Scenario> scenarios, RunOptions options, CancellationToken cancellationToken) =>
        RunAsync(Variants(scenarios, options.NegativeControls).ToList(), options, cancellationToken);

    /// <summary>Runs exactly these variants: a scenario with a null control, or a control applied to its scenario.</summary>
    public async Task<RunResult> RunAsync(IReadOnlyList<(Scenario Scenario, NegativeControlSpec? Control)> variants, RunOptions options, CancellationToken cancellationToken)
    {
        var started = options.Time.GetUtcNow();
        var scenarios = variants.Select(v => v.Scenario).ToList();
        observer.RunStarted(options.RunId, variants.Count);
        var results = new List<ScenarioResult>();
        var lint = new List<Finding>();
        string? abortReason = null;
        foreach (var (scenario, control) in variants)
        {
            if (cancellationToken.IsCancellationRequested) { abortReason ??= "interrupted"; break; }
            var runner = new ScenarioRunner(createTarget, engine, evaluators, observer, options);
            var (result, findings) = await runner.RunAsync(scenario, control, cancellationToken);
            results.Add(result);
            foreach (var f in findings.Where(f => lint.All(l => l.Id != f.Id || l.Location != f.Location))) lint.Add(f);
            observer.ScenarioFinished(result);
            if (runner.Aborted) { abortReason = result.Error ?? "interrupted"; break; }
        }

        var verdict = abortReason is not null ? Verdict.Error : results.Select(r => r.Verdict).Combine();
        var run = new RunResult
        {
            Manifest = new RunManifest
            {
                RunId = options.RunId,
                Tool = RunConstants.Tool,
                ToolVersion = RunConstants.ToolVersion,
                Target = options.TargetName,
                Seed = options.Seed,
                StartedAt = started,
                FinishedAt = options.Time.GetUtcNow(),
                Machine = MachineInfo.Current(),
                ConfigHashes = ConfigHashes(scenarios, options),
                Suite = options.Suite,
                CommandLine = options.CommandLine,
            },
            Scenarios = results,
            Verdict = verdict,
            Aborted = abortReason is not null,
            AbortReason = abortReason,
            LintFindings = lint,
        };
        observer.RunFinished(run);
        return run;
    }

    /// <summary>Each scenario, then (when asked) each of its negative controls as a variant.</summary>
    public static IEnumerable<(Scenario Scenario, NegativeControlSpec? Control)> Variants(IReadOnlyList<Scenario> scenarios, bool withControls)
    {
        foreach (var s in scenarios)
        {
            yield return (s, null);
            if (!withControls) continue;
            foreach (var c in s.NegativeControls) yield return (Apply(s, c), c);
        }
    }

    public static Scenario Apply(Scenario s, NegativeControlSpec c) => s with
    {
        Mesh = c.Mesh ?? s.Mesh,
        Secrets = c.Secrets ?? s.Secrets,
        Topology = c.Replicas is null ? s.Topology : s.Topology with { Replicas = new Dictionary<string, int>(c.Replicas) },
    };

    private static IReadOnlyDictionary<string, string> ConfigHashes(IReadOnlyList<Scenario> scenarios, RunOptions options)
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var root = Path.GetDirectoryName(Path.GetFullPath(options.ClustersDirectory)) ?? "";
        void AddFile(string path)
        {
            if (!File.Exists(path)) return;
            hashes[Path.GetRelativePath(root, Path.GetFullPath(path))] = Scenarios.ScenarioLoader.Hash(path);
        }
        foreach (var s in scenarios)
        {
            AddFile(s.SourceFile);
            var meshes = new[] { s.Mesh }.Concat(options.NegativeControls ? s.NegativeControls.Select(c => c.Mesh).OfType<string>() : []);
            foreach (var mesh in meshes.Distinct())
            {
                var dir = Path.Combine(options.ClustersDirectory, mesh);
                if (!Directory.Exists(dir)) continue;
                foreach (var f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)) AddFile(f);
            }
        }
        return hashes;
    }
}
