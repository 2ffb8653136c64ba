using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Reports.Compare;

/// <summary>
/// Compares a candidate run with a baseline, scenario by scenario and assertion by assertion: verdicts
/// (anything that became fail or error is a regression) and figures (each assertion's figures plus the
/// load's p50/p90/p95/p99, achieved rate and success ratio), direction-aware and within a tolerance.
/// </summary>
public sealed class RunComparer(CompareOptions? options = null)
{
    private readonly CompareOptions _options = options ?? new CompareOptions();

    public RunComparison Compare(RunResult baseline, RunResult candidate)
    {
        var verdicts = new List<VerdictChange>();
        var figures = new List<FigureChange>();
        foreach (var (key, b, c) in Match(baseline.Scenarios, candidate.Scenarios, Key))
        {
            verdicts.Add(Verdicts(key, null, b?.Verdict, c?.Verdict));
            if (b is null || c is null) continue;
            foreach (var (name, value) in LoadFigures(b.Load))
                figures.Add(Figure(key, null, name, value, LoadFigures(c.Load).GetValueOrDefault(name)));
            foreach (var (assertion, ba, ca) in Match(b.Assertions, c.Assertions, a => a.Name))
            {
                verdicts.Add(Verdicts(key, assertion, ba?.Verdict, ca?.Verdict));
                if (ba is null || ca is null) continue;
                foreach (var name in ba.Figures.Keys.Union(ca.Figures.Keys).Order(StringComparer.Ordinal))
                    figures.Add(Figure(key, assertion, name,
                        ba.Figures.TryGetValue(name, out var bv) ? bv : null, ca.Figures.TryGetValue(name, out var cv) ? cv : null));
            }
        }
        return new RunComparison
        {
            BaselineRunId = baseline.Manifest.RunId,
            CandidateRunId = candidate.Manifest.RunId,
            BaselineToolVersion = baseline.Manifest.ToolVersion,
            CandidateToolVersion = candidate.Manifest.ToolVersion,
            RelativeTolerance = _options.RelativeTolerance,
            Verdicts = verdicts,
            Figures = figures,
        };
    }

    /// <summary>The load figures compared, by name. The success ratio is derived from the recorded counts.</summary>
    public static IReadOnlyDictionary<string, double?> LoadFigures(LoadSummary load) => new Dictionary<string, double?>
    {
        ["load.p50Ms"] = load.Latency.Count > 0 ? load.Latency.P50 : null,
        ["load.p90Ms"] = load.Latency.Count > 0 ? load.Latency.P90 : null,
        ["load.p95Ms"] = load.Latency.Count > 0 ? load.Latency.P95 : null,
        ["load.p99Ms"] = load.Latency.Count > 0 ? load.Latency.P99 : null,
        ["load.achievedRate"] = load.AchievedRate,
        ["load.successRatio"] = load.Completed > 0 ? (double)load.Succeeded / load.Completed : null,
    };

    private VerdictChange Verdicts(string scenario, string? assertion, Verdict? b, Verdict? c)
    {
        static bool Bad(Verdict v) => v is Verdict.Fail or Verdict.Error;
        var (status, regression) = (b, c) switch
        {
            (null, null) => (ChangeStatus.Unchanged, false),
            (null, _) => (ChangeStatus.Added, false),
            (_, null) => (ChangeStatus.Missing, _options.MissingIsRegression),
            var (x, y) when x == y => (ChangeStatus.Unchanged, false),
            var (x, y) when Bad(y!.Value) && !Bad(x!.Value) => (ChangeStatus.Regressed, true),
            var (x, y) when Bad(x!.Value) && !Bad(y!.Value) => (ChangeStatus.Improved, false),
            var (x, y) when x == Verdict.Pass && y == Verdict.Skipped => (ChangeStatus.Changed, _options.SkipIsRegression),
            _ => (ChangeStatus.Changed, false),
        };
        return new VerdictChange(scenario, assertion, b, c, status, regression);
    }

    private FigureChange Figure(string scenario, string? assertion, string name, double? b, double? c)
    {
        var direction = _options.FigureDirectionOverrides.TryGetValue(name, out var d) ? d : FigureDirections.Infer(name);
        if (b is null || c is null || !double.IsFinite(b.Value) || !double.IsFinite(c.Value))
        {
            var status = (b, c) switch
            {
                (null, null) => ChangeStatus.Unchanged,
                (null, _) => ChangeStatus.Added,
                (_, null) => ChangeStatus.Missing,
                _ => b.Value.Equals(c.Value) ? ChangeStatus.Unchanged : ChangeStatus.Changed,
            };
            return new FigureChange(scenario, assertion, name, b, c, direction, 0, status,
                status == ChangeStatus.Missing && assertion is not null && _options.MissingIsRegression && direction != FigureDirection.Neutral);
        }
        var relative = _options.FigureTolerances.TryGetValue(name, out var t) ? t : _options.RelativeTolerance;
        var unit = FigureDirections.Unit(name);
        var floor = unit switch
        {
            FigureUnit.Milliseconds => _options.LatencyFloorMs,
            FigureUnit.Ratio => _options.RatioFloor,
            _ => 0,
        };
        // For a ratio the relative tolerance applies to its distance from 0 or 1, whichever is nearer:
        // 10% of a 99.9% success ratio is not 10 points but 0.01 points (then the ratio floor).
        var scale = unit == FigureUnit.Ratio && b.Value is >= 0 and <= 1 ? Math.Min(b.Value, 1 - b.Value) : Math.Abs(b.Value);
        var allowed = Math.Max(scale * relative, floor);
        var delta = c.Value - b.Value;
        var worse = direction switch
        {
            FigureDirection.LowerIsBetter => delta,
            FigureDirection.HigherIsBetter => -delta,
            _ => 0,
        };
        var outcome = (delta, direction) switch
        {
            (0, _) => ChangeStatus.Unchanged,
            _ when Math.Abs(delta) <= allowed => ChangeStatus.WithinTolerance,
            (_, FigureDirection.Neutral) => ChangeStatus.Changed,
            _ when worse > 0 => ChangeStatus.Regressed,
            _ => ChangeStatus.Improved,
        };
        return new FigureChange(scenario, assertion, name, b, c, direction, allowed, outcome, outcome == ChangeStatus.Regressed);
    }

    private static string Key(ScenarioResult s) => s.NegativeControlOf is null ? s.Name : $"{s.Name} (control of {s.NegativeControlOf})";

    /// <summary>Pairs items by key in baseline order (duplicates pair in order), then lists the candidate's new ones.</summary>
    private static IEnumerable<(string Key, T? Baseline, T? Candidate)> Match<T>(IReadOnlyList<T> baseline, IReadOnlyList<T> candidate, Func<T, string> key)
        where T : class
    {
        var pool = candidate.GroupBy(key).ToDictionary(g => g.Key, g => new Queue<T>(g), StringComparer.Ordinal);
        foreach (var b in baseline)
        {
            var k = key(b);
            yield return (k, b, pool.TryGetValue(k, out var q) && q.Count > 0 ? q.Dequeue() : null);
        }
        foreach (var c in candidate)
            if (pool.TryGetValue(key(c), out var q) && q.Count > 0 && ReferenceEquals(q.Peek(), c))
                yield return (key(q.Dequeue()), null, c);
    }
}
