using System.CommandLine;
using IndexForge.Resilience.Bench;
using IndexForge.Resilience.Cli.Bench;
using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Cli.Commands;

/// <summary><c>bench</c>: the load engine and the mesh measured side by side with their anchors, in one run.</summary>
public static class BenchCommand
{
    public static Command Create(RepoLayout layout, TextWriter output, TextWriter error)
    {
        var sections = new Option<string[]>("--sections")
        {
            Description = $"Sections to run (default: all): {BenchSections.Throughput}, {BenchSections.RateAccuracy}, {BenchSections.Memory}, {MeshOverheadSection.SectionName}.",
            AllowMultipleArgumentsPerToken = true,
        };
        var quick = new Option<bool>("--quick") { Description = "Shorter runs (the output says so); for a quick look, not for docs/benchmarks.md." };
        var connections = new Option<int>("--connections") { Description = "Connections for the throughput comparison.", DefaultValueFactory = _ => BenchConstants.DefaultConnections };
        var duration = new Option<int>("--duration") { Description = "Seconds per throughput/rate run.", DefaultValueFactory = _ => (int)BenchConstants.DefaultDuration.TotalSeconds };
        var kestrel = new Option<bool>("--kestrel") { Description = "Use the built-in Kestrel target even when nginx is installed." };
        var strict = new Option<bool>("--fail-on-missed-goal") { Description = "Exit 1 when a goal is missed." };
        var command = new Command("bench", "Measure the load engine against wrk and hey, its rate accuracy and memory, and the mesh's latency overhead, side by side in one run.")
        {
            sections, quick, connections, duration, kestrel, strict,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new BenchOptions
            {
                Sections = parse.GetValue(sections) ?? [],
                Quick = parse.GetValue(quick),
                Connections = parse.GetValue(connections),
                Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
                ForceKestrel = parse.GetValue(kestrel),
                FailOnMissedGoal = parse.GetValue(strict),
            };
            if (options.Validate() is { Count: > 0 } problems)
            {
                foreach (var p in problems) await error.WriteLineAsync($"bench: {p}");
                return ExitCodes.InvalidInput;
            }
            var runner = new BenchRunner([.. BenchRunner.DefaultSections, new MeshOverheadSection(layout.Clusters)]);
            return await runner.RunAsync(options, output, cancellationToken);
        });
        return command;
    }
}
