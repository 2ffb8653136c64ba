using System.Globalization;
using IndexForge.Resilience.Bench.Anchors;

namespace IndexForge.Resilience.Bench.Sections;

/// <summary>
/// Maximum throughput, closed model, same connections and duration for the engine, wrk and hey,
/// against the same target; rounds are interleaved and the best of each tool counts.
/// </summary>
public sealed class ThroughputSection : IBenchSection
{
    public string Name => BenchSections.Throughput;

    public string Title => "maximum throughput (closed model)";

    public async Task<IReadOnlyList<BenchGoal>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var o = context.Output;
        var duration = context.RunDuration;
        var connections = context.Options.Connections;
        var rounds = context.Options.Quick ? 1 : BenchConstants.ThroughputRounds;
        o.WriteLine($"  {connections} connections, {duration.TotalSeconds:0} s per run, HTTP/1.1 keep-alive, {rounds} round(s) interleaved, best counts");
        if (context.Options.Quick) o.WriteLine($"  quick mode: {duration.TotalSeconds:0} s runs, 1 round");
        var tools = new[] { AnchorTools.Wrk, AnchorTools.Hey }.ToDictionary(t => t, t => context.Tools.Find(t));
        var results = new Dictionary<string, List<double>> { ["engine"] = [], [AnchorTools.Wrk] = [], [AnchorTools.Hey] = [] };
        var notes = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            var run = await EngineRuns.RunAsync(EngineRuns.Closed(connections, duration), context.Target.Address, cancellationToken);
            var measured = run.Measured();
            results["engine"].Add(measured.Completed / duration.TotalSeconds);
            if (measured.Failed > 0) notes.Add($"engine round {round + 1}: {measured.Failed} failed requests");
            foreach (var (tool, path) in tools)
            {
                if (path is null) continue;
                var anchor = await AnchorTools.RunAsync(tool, path, context.Target.Address, connections, duration, cancellationToken);
                results[tool].Add(anchor.RequestsPerSecond);
                if (anchor.Errors > 0) notes.Add($"{tool} round {round + 1}: {anchor.Errors} errors");
            }
        }

        var engine = results["engine"].Max();
        o.WriteLine($"  {"tool",-8}{string.Concat(Enumerable.Range(1, rounds).Select(r => $"{"run " + r,14}"))}{"best",14}{"engine ÷ tool",16}");
        foreach (var (tool, values) in results)
        {
            if (tool != "engine" && tools[tool] is null)
            {
                o.WriteLine($"  {tool,-8}skipped ({tool} not installed)");
                continue;
            }
            var best = values.Max();
            var ratio = tool == "engine" ? "" : (engine / best).ToString("0.00", CultureInfo.InvariantCulture) + "×";
            o.WriteLine($"  {tool,-8}{string.Concat(values.Select(v => $"{Rate(v),14}"))}{Rate(best),14}{ratio,16}");
        }
        foreach (var note in notes) o.WriteLine("  note: " + note);

        return
        [
            Goal(context, AnchorTools.Hey, tools, results, BenchConstants.GoalVersusHey),
            Goal(context, AnchorTools.Wrk, tools, results, BenchConstants.GoalVersusWrk),
        ];
    }

    private BenchGoal Goal(BenchContext context, string tool, Dictionary<string, string?> tools, Dictionary<string, List<double>> results, double goal)
    {
        var text = $"engine throughput ≥ {goal:0.0#}× {tool}";
        if (tools[tool] is null) return new BenchGoal(Name, text, null, $"skipped ({tool} not installed)");
        var ratio = results["engine"].Max() / results[tool].Max();
        return new BenchGoal(Name, text, ratio >= goal, $"{ratio:0.00}× ({Rate(results["engine"].Max())} vs {Rate(results[tool].Max())})");
    }

    internal static string Rate(double perSecond) => perSecond.ToString("#,0", CultureInfo.InvariantCulture) + "/s";
}
