using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Cli.Tests.Progress;

/// <summary>A small run to drive progress observers: one failing scenario with a fault and three windows.</summary>
internal static class ProgressFixture
{
    public static readonly FaultRecord Fault = new() { Name = "kill-a", Type = "replica-kill", Subject = "eu-west-a-1", Start = TimeSpan.FromSeconds(10), End = TimeSpan.FromSeconds(20), Injected = true, Reverted = true };

    public static WindowStats Window(int i, long failed, double p95) => new()
    {
        Index = i,
        Start = TimeSpan.FromSeconds(i),
        Length = TimeSpan.FromSeconds(1),
        Phase = "steady",
        Completed = 100,
        Succeeded = 100 - failed,
        Failed = failed,
        Latency = new LatencySummary(100, 1, 4, 8, p95, p95 * 2, p95 * 3, 5),
    };

    public static ScenarioResult Scenario(Verdict verdict = Verdict.Fail) => new()
    {
        Name = "outlier-ejection",
        File = "scenarios/outlier-ejection.yaml",
        Claim = "ejects",
        MeshConfig = "clusters/hardened",
        StartedAt = DateTimeOffset.UnixEpoch,
        Duration = TimeSpan.FromSeconds(30),
        Verdict = verdict,
        Load = new LoadSummary { Completed = 3000, Succeeded = 2990, Failed = 10, AchievedRate = 99.8, Latency = new LatencySummary(3000, 1, 4, 8, 11.9, 20, 30, 5) },
        Assertions =
        [
            new AssertionResult { Name = "ejected", Type = "outlier-ejected", Verdict = Verdict.Pass, Expected = "e", Observed = "o" },
            new AssertionResult { Name = "no failures", Type = "threshold", Verdict = verdict, Expected = "rate(failed) == 0", Observed = "0.3%" },
        ],
    };

    public static RunResult Run(Verdict verdict = Verdict.Fail) => new()
    {
        Manifest = new RunManifest
        {
            RunId = "run-1", Tool = "indexforge-resilience", ToolVersion = "0.1.0", Target = "embedded", Seed = 1,
            StartedAt = DateTimeOffset.UnixEpoch, Machine = new MachineInfo("h", "linux", 2, ".NET"),
        },
        Scenarios = [Scenario(verdict)],
        Verdict = verdict,
    };
}
