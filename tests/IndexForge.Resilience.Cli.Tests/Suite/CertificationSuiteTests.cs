using IndexForge.Resilience.Core.Assertions;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Core.Running;
using IndexForge.Resilience.Core.Scenarios;
using IndexForge.Resilience.Embedded;
using IndexForge.Resilience.Testing;
using Xunit;
using Xunit.Abstractions;

namespace IndexForge.Resilience.Cli.Tests.Suite;

/// <summary>
/// The certification suite itself, on the embedded target: every default scenario passes on the
/// hardened configuration, and every negative control makes the assertions it names fail — an
/// assertion that cannot fail certifies nothing.
/// </summary>
[Collection(SuiteCollection.Name)]
public class CertificationSuiteTests(ITestOutputHelper output)
{
    private static readonly ScenarioLoader Loader = new(ScenarioCatalog.Default, RepoPaths.Of("clusters"));

    private static IReadOnlyList<Scenario> All() =>
        Loader.LoadAll(Directory.EnumerateFiles(RepoPaths.Of("scenarios"), "*.yaml").OrderBy(f => f, StringComparer.Ordinal));

    public static TheoryData<string> DefaultScenarios()
    {
        var data = new TheoryData<string>();
        foreach (var s in All().Where(s => s.Suites.Contains(ScenarioConstants.DefaultSuite))) data.Add(s.Name);
        return data;
    }

    public static TheoryData<string, string> Controls()
    {
        var data = new TheoryData<string, string>();
        foreach (var s in All().Where(s => s.Suites.Contains(ScenarioConstants.DefaultSuite)))
            foreach (var c in s.NegativeControls) data.Add(s.Name, c.Name);
        return data;
    }

    [Fact]
    public void EveryAssertionType_HasANegativeControlInTheSuite()
    {
        var scenarios = All();
        var controlled = scenarios.SelectMany(s => s.NegativeControls.SelectMany(c => c.MustFail)
            .Select(name => s.Assertions.First(a => a.Name == name).Type)).ToHashSet();
        var used = scenarios.SelectMany(s => s.Assertions.Select(a => a.Type)).ToHashSet();
        Assert.Empty(used.Except(controlled));
    }

    [Theory, MemberData(nameof(DefaultScenarios))]
    public async Task Scenario_OnHardenedConfiguration_Passes(string name)
    {
        var scenario = All().Single(s => s.Name == name);
        var result = await RunAsync(scenario, null);
        if (OnlyGeneratorSaturated(result) || (result.Verdict != Verdict.Pass && GeneratorSaturated(result)))
        {
            // The harness says its own measurement is void, or that the run's latencies include its own
            // delay (the generator stalled on this shared machine; embedded, a stall of the process holds
            // the target too — seen: 540 ms of scheduler lag in one run of "baseline"): no evidence about
            // the hardened configuration either way, so measure once more; a second such run fails the test.
            output.WriteLine($"load generator saturated ({Describe(result)}): measuring again");
            result = await RunAsync(scenario, null);
        }
        Assert.True(result.Verdict is Verdict.Pass or Verdict.Skipped, Describe(result));
        Assert.All(result.Assertions, a => Assert.True(a.Verdict is Verdict.Pass or Verdict.Skipped, $"{a.Name}: {a.Observed} {a.Message}"));
    }

    [Theory, MemberData(nameof(Controls))]
    public async Task NegativeControl_MakesItsAssertionsFail(string name, string control)
    {
        var scenario = All().Single(s => s.Name == name);
        var spec = scenario.NegativeControls.Single(c => c.Name == control);
        var result = await RunAsync(SuiteRunner.Apply(scenario, spec), spec);
        // A control "passes" when every assertion it names failed; skipped (a missing tool) is reported, never a pass.
        Assert.True(result.Verdict is Verdict.Pass or Verdict.Skipped, Describe(result));
    }

    private async Task<ScenarioResult> RunAsync(Scenario scenario, NegativeControlSpec? control)
    {
        var work = Directory.CreateTempSubdirectory("indexforge-suite-").FullName;
        try
        {
            var runner = new SuiteRunner(() => new EmbeddedTarget(), new LoadEngine(), AssertionEvaluators.Default, NullRunObserver.Instance);
            var options = new RunOptions
            {
                RunId = "suite-test", Seed = 7, WorkDirectory = work, ClustersDirectory = RepoPaths.Of("clusters"),
                TargetName = "embedded", NegativeControls = control is not null,
            };
            var run = await runner.RunAsync([(scenario, control)], options, CancellationToken.None);
            var result = run.Scenarios.Single();
            output.WriteLine(Describe(result));
            return result;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Every assertion that did not pass is an error the evaluator blamed on the saturated load generator.</summary>
    private static bool OnlyGeneratorSaturated(ScenarioResult r)
    {
        var notPassed = r.Assertions.Where(a => a.Verdict is not (Verdict.Pass or Verdict.Skipped)).ToList();
        return notPassed.Count > 0 && notPassed.All(a => a.Verdict == Verdict.Error && a.Message?.StartsWith("load generator saturated", StringComparison.Ordinal) == true);
    }

    private static bool GeneratorSaturated(ScenarioResult r) =>
        r.Warnings.Any(w => w.StartsWith("load generator saturated", StringComparison.Ordinal));

    private static string Describe(ScenarioResult r) =>
        $"{r.Name}{(r.NegativeControlOf is { } c ? $" [control {c}]" : "")}: {r.Verdict} {r.Error}\n" +
        string.Join("\n", r.Assertions.Select(a => $"  {a.Verdict} {a.Name}: expected {a.Expected}; observed {a.Observed}; {a.Message}")) +
        (r.Warnings.Count > 0 ? "\n  warnings: " + string.Join(" | ", r.Warnings) : "");
}

/// <summary>Suite scenarios measure latency and timing: they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SuiteCollection
{
    public const string Name = "certification suite";
}
