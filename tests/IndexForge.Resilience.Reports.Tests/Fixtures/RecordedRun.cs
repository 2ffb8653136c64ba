using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Reports.Tests.Fixtures;

/// <summary>
/// A realistic recorded run, built the same way every time: an outlier-ejection scenario (a replica returns
/// 5xx, is ejected, traffic spills to the other region; one assertion fails with a finding, one is skipped)
/// and a region-failover scenario (the local region goes down, traffic fails over; an overhead assertion with
/// direct vs mesh distributions; a saturated generator; an assertion that errored), plus a lint finding.
/// </summary>
public static class RecordedRun
{
    public static readonly DateTimeOffset Start = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);

    public static RunResult Create()
    {
        var scenarios = new[] { OutlierEjection(), RegionFailover() };
        return new RunResult
        {
            Manifest = new RunManifest
            {
                RunId = "20261127-020000-nightly",
                Tool = "indexforge-resilience",
                ToolVersion = "0.1.0",
                Target = TargetNames.Embedded,
                Seed = 1234,
                StartedAt = Start,
                FinishedAt = Start.AddSeconds(135),
                Machine = new MachineInfo("ci-runner-3", "Debian GNU/Linux 12 (bookworm)", 2, ".NET 10.0.0"),
                ConfigHashes = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["clusters/hardened/istio/destination-rule.yaml"] = "5f0c7e1a9b3d4c2e8f6a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e",
                    ["scenarios/outlier-ejection.yaml"] = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b",
                    ["scenarios/region-failover.yaml"] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                },
                Suite = "nightly",
                CommandLine = ["run", "--suite", "nightly", "--seed", "1234"],
            },
            Scenarios = scenarios,
            Verdict = scenarios.Select(s => s.Verdict).Combine(),
            LintFindings =
            [
                new Finding
                {
                    Id = "IF-OD-003",
                    Severity = Severity.Warning,
                    Title = "maxEjectionPercent 10 never ejects with fewer than 10 hosts",
                    Cause = "100 × (0 + 1) / 4 = 25% > 10%, so Envoy refuses every ejection and counts an overflow instead.",
                    Fix = "Set maxEjectionPercent to at least 25 (one of four hosts) or leave the default.",
                    Location = "clusters/plan/istio/destination-rule.yaml:22:7",
                    Reference = "phase5-security-plan.md › Migration Challenges",
                },
            ],
        };
    }

    private static ScenarioResult OutlierEjection()
    {
        var random = new Random(1);
        var windows = new List<WindowStats>();
        for (var i = 0; i < 60; i++)
        {
            var t = i;
            var faulted = t is >= 20 and < 40;
            var ejected = t is >= 20 and < 50;
            var failed = t == 20 ? 5 : faulted && t % 7 == 0 ? 1 : 0;
            var baseMs = 4 + random.NextDouble();
            var latency = new LatencySummary(100, 1.1, baseMs, baseMs * 1.8, baseMs * 2.2 + (faulted ? 6 : 0), baseMs * 3.5 + (faulted ? 14 : 0), baseMs * 6, baseMs * 1.2);
            var byReplica = ejected
                ? new Dictionary<string, long> { ["eu-west-a-2"] = 70, ["eu-central-b-1"] = 15, ["eu-central-b-2"] = 15 }
                : new Dictionary<string, long> { ["eu-west-a-1"] = 50, ["eu-west-a-2"] = 50 };
            var byRegion = ejected
                ? new Dictionary<string, long> { ["eu-west"] = 70, ["eu-central"] = 30 }
                : new Dictionary<string, long> { ["eu-west"] = 100 };
            windows.Add(Window(t, t < 10 ? "warm-up" : "steady", 100, failed, latency, byReplica, byRegion,
                failed > 0 ? new Dictionary<string, long> { ["http-5xx"] = failed } : []));
        }
        return new ScenarioResult
        {
            Name = "outlier-ejection",
            File = "scenarios/outlier-ejection.yaml",
            Claim = "A replica that returns 5xx is ejected after 5 consecutive errors and traffic keeps flowing (< 0.5% failed).",
            PlanSection = "Service Mesh Implementation Review › Traffic Policies",
            MeshConfig = "clusters/hardened",
            StartedAt = Start,
            Duration = TimeSpan.FromSeconds(62),
            Verdict = Verdict.Fail,
            Phases =
            [
                new PhaseSpan("warm-up", "constant-arrival-rate", TimeSpan.Zero, TimeSpan.FromSeconds(10), "mesh"),
                new PhaseSpan("steady", "constant-arrival-rate", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), "mesh"),
            ],
            Faults =
            [
                new FaultRecord
                {
                    Name = "replica-500s", Type = "replica-http-error", Subject = "eu-west-a-1",
                    Start = TimeSpan.FromSeconds(20), End = TimeSpan.FromSeconds(40), Injected = true, Reverted = true,
                    Details = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["status"] = "500", ["ratio"] = "1.0" },
                },
            ],
            Windows = windows,
            Load = Summary(windows, 100, saturated: false, reason: null),
            Assertions =
            [
                new AssertionResult
                {
                    Name = "replica ejected", Type = "outlier-ejected", Verdict = Verdict.Pass,
                    Expected = "eu-west-a-1 ejected within 5 consecutive 5xx", Observed = "ejected at 20.3 s after 5 consecutive 5xx",
                    Window = "replica-500s", WindowStart = TimeSpan.FromSeconds(20), WindowEnd = TimeSpan.FromSeconds(40),
                    Figures = new Dictionary<string, double> { ["consecutiveErrorsBeforeEjection"] = 5, ["timeToEjectionMs"] = 312 },
                },
                new AssertionResult
                {
                    Name = "p95 under fault", Type = "threshold", Verdict = Verdict.Pass,
                    Expected = "p(95) < 50ms", Observed = "p(95) = 15.9ms",
                    Window = "replica-500s", WindowStart = TimeSpan.FromSeconds(20), WindowEnd = TimeSpan.FromSeconds(40),
                    Figures = new Dictionary<string, double> { ["p95Ms"] = 15.9 },
                },
                new AssertionResult
                {
                    Name = "failed requests under fault", Type = "threshold", Verdict = Verdict.Fail,
                    Expected = "rate(failed) < 0.5%", Observed = "rate(failed) = 0.6% (12 of 2000)",
                    Window = "replica-500s", WindowStart = TimeSpan.FromSeconds(20), WindowEnd = TimeSpan.FromSeconds(40),
                    Message = "failures continued after the ejection: the host returned while still failing",
                    Figures = new Dictionary<string, double> { ["failedRatio"] = 0.006, ["failed"] = 12 },
                },
                new AssertionResult
                {
                    Name = "alert fires", Type = "alert-fires", Verdict = Verdict.Skipped,
                    Expected = "IndexForgeOutlierEjected firing within 60s", Observed = "not evaluated",
                    Message = "promtool is not installed (apt-get install prometheus)",
                },
            ],
            Findings =
            [
                new Finding
                {
                    Id = "IF-OD-001",
                    Severity = Severity.Error,
                    Title = "Ejected host returns before it recovered",
                    Cause = "baseEjectionTime 30s is shorter than the fault; the host was unejected at the next interval sweep while still returning 500.",
                    Fix = "Raise baseEjectionTime to 60s or lower interval so repeated ejections back off (time × times ejected).",
                    Location = "clusters/hardened/istio/destination-rule.yaml:18:9",
                    Reference = "Envoy outlier_detection_impl.cc",
                },
            ],
            Warnings = ["trafficPolicy.connectionPool.tcp.connectTimeout is not emulated by the embedded mesh"],
            Events =
            [
                new TimelineEvent(TimeSpan.FromSeconds(20.3), TargetEventKinds.Ejected, "eu-west-a-1", "5 consecutive 5xx"),
                new TimelineEvent(TimeSpan.FromSeconds(50.3), TargetEventKinds.Unejected, "eu-west-a-1", "ejection time elapsed"),
            ],
        };
    }

    private static ScenarioResult RegionFailover()
    {
        var random = new Random(2);
        var windows = new List<WindowStats>();
        for (var i = 0; i < 50; i++)
        {
            var down = i is >= 15 and < 35;
            var failed = i == 15 ? 9 : 0;
            var baseMs = (down ? 11 : 5) + random.NextDouble() * 2;
            var latency = new LatencySummary(200, 1.4, baseMs, baseMs * 1.6, baseMs * 2, baseMs * 3, baseMs * 5, baseMs * 1.1);
            var byReplica = down
                ? new Dictionary<string, long> { ["eu-central-b-1"] = 100, ["eu-central-b-2"] = 100 }
                : new Dictionary<string, long> { ["eu-west-a-1"] = 100, ["eu-west-a-2"] = 100 };
            var byRegion = down ? new Dictionary<string, long> { ["eu-central"] = 200 } : new Dictionary<string, long> { ["eu-west"] = 200 };
            windows.Add(Window(i, "steady", 200, failed, latency, byReplica, byRegion,
                failed > 0 ? new Dictionary<string, long> { ["connection-refused"] = 6, ["http-5xx"] = 3 } : []));
        }
        return new ScenarioResult
        {
            Name = "region-failover",
            File = "scenarios/region-failover.yaml",
            Claim = "When eu-west is down, traffic fails over to eu-central within 5 s and mesh overhead stays under 2 ms at p95.",
            PlanSection = "Service Mesh Implementation Review › Potential Risks and Mitigations",
            MeshConfig = "clusters/hardened",
            StartedAt = Start.AddSeconds(70),
            Duration = TimeSpan.FromSeconds(52),
            Verdict = Verdict.Error,
            Phases = [new PhaseSpan("steady", "constant-arrival-rate", TimeSpan.Zero, TimeSpan.FromSeconds(50), "mesh")],
            Faults =
            [
                new FaultRecord
                {
                    Name = "eu-west-down", Type = "region-outage", Subject = "eu-west",
                    Start = TimeSpan.FromSeconds(15), End = TimeSpan.FromSeconds(35), Injected = true, Reverted = true,
                },
            ],
            Windows = windows,
            Load = Summary(windows, 200, saturated: true, reason: "scheduler lag p99 12 ms exceeds 5 ms"),
            Assertions =
            [
                new AssertionResult
                {
                    Name = "failover within 5s", Type = "failover", Verdict = Verdict.Pass,
                    Expected = "eu-central serves ≥ 95% within 5s", Observed = "eu-central served 100% after 0.8 s",
                    Window = "eu-west-down", WindowStart = TimeSpan.FromSeconds(15), WindowEnd = TimeSpan.FromSeconds(35),
                    Figures = new Dictionary<string, double> { ["timeToFailoverMs"] = 800, ["failoverShare"] = 1.0 },
                },
                new AssertionResult
                {
                    Name = "mesh overhead p95", Type = "latency-overhead", Verdict = Verdict.Pass,
                    Expected = "p(95) mesh − direct < 2ms", Observed = "p(95) overhead = 1.3ms",
                    Window = "steady", WindowStart = TimeSpan.Zero, WindowEnd = TimeSpan.FromSeconds(50),
                    Figures = new Dictionary<string, double> { ["overheadP95Ms"] = 1.3, ["directP95Ms"] = 9.1, ["meshP95Ms"] = 10.4 },
                },
                new AssertionResult
                {
                    Name = "vault stayed unsealed", Type = "threshold", Verdict = Verdict.Error,
                    Expected = "vault_core_unsealed == 1", Observed = "no data",
                    Message = "metrics source unreachable: connection refused (127.0.0.5:8200)",
                },
            ],
            Warnings = [],
            Events =
            [
                new TimelineEvent(TimeSpan.FromSeconds(15.2), TargetEventKinds.Ejected, "eu-west-a-1", "5 consecutive gateway errors"),
                new TimelineEvent(TimeSpan.FromSeconds(15.3), TargetEventKinds.Ejected, "eu-west-a-2", "5 consecutive gateway errors"),
                new TimelineEvent(TimeSpan.FromSeconds(15.8), TargetEventKinds.Failover, "eu-west → eu-central", "priority 0 healthy 0%"),
                new TimelineEvent(TimeSpan.FromSeconds(45.2), TargetEventKinds.Unejected, "eu-west-a-1", "ejection time elapsed"),
                new TimelineEvent(TimeSpan.FromSeconds(45.3), TargetEventKinds.Unejected, "eu-west-a-2", "ejection time elapsed"),
            ],
            Distributions =
            [
                new LatencyDistribution("direct", Points(4.0)),
                new LatencyDistribution("mesh", Points(4.9)),
            ],
        };
    }

    private static IReadOnlyList<PercentilePoint> Points(double p50) =>
        [new(0, p50 * 0.3), new(50, p50), new(90, p50 * 1.7), new(95, p50 * 2.1), new(99, p50 * 3.2), new(99.9, p50 * 5.5), new(100, p50 * 8)];

    private static WindowStats Window(int index, string phase, long rate, long failed, LatencySummary latency,
        Dictionary<string, long> byReplica, Dictionary<string, long> byRegion, Dictionary<string, long> errors) => new()
    {
        Index = index,
        Start = TimeSpan.FromSeconds(index),
        Length = TimeSpan.FromSeconds(1),
        Phase = phase,
        Scheduled = rate,
        Sent = rate,
        Completed = rate,
        Succeeded = rate - failed,
        Failed = failed,
        StatusCodes = failed > 0 ? new Dictionary<int, long> { [200] = rate - failed, [503] = failed } : new Dictionary<int, long> { [200] = rate },
        Errors = errors,
        ByReplica = byReplica,
        ByRegion = byRegion,
        Latency = latency,
    };

    private static LoadSummary Summary(IReadOnlyList<WindowStats> windows, long rate, bool saturated, string? reason)
    {
        var completed = windows.Sum(w => w.Completed);
        var failed = windows.Sum(w => w.Failed);
        var p = windows.Select(w => w.Latency).ToList();
        return new LoadSummary
        {
            Scheduled = completed,
            Sent = completed,
            Completed = completed,
            Succeeded = completed - failed,
            Failed = failed,
            AchievedRate = rate * 0.998,
            Latency = new LatencySummary(completed, p.Min(l => l.Min), Math.Round(p.Average(l => l.P50), 2), Math.Round(p.Average(l => l.P90), 2),
                Math.Round(p.Average(l => l.P95), 2), Math.Round(p.Average(l => l.P99), 2), Math.Round(p.Max(l => l.Max), 2), Math.Round(p.Average(l => l.Mean), 2)),
            SchedulerLag = saturated ? new LatencySummary(completed, 0, 2, 6, 9, 12, 30, 3) : new LatencySummary(completed, 0, 0.1, 0.3, 0.4, 0.8, 2, 0.15),
            Saturated = saturated,
            SaturationReason = reason,
        };
    }
}
