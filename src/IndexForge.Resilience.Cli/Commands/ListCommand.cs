using System.CommandLine;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Core.Scenarios;

namespace IndexForge.Resilience.Cli.Commands;

/// <summary><c>list</c>: every scenario with the plan claim it certifies.</summary>
public static class ListCommand
{
    public static Command Create(RepoLayout layout, TextWriter output, TextWriter error)
    {
        var command = new Command("list", "Print each scenario under scenarios/ with the claim of the plan it certifies.");
        command.SetAction(_ =>
        {
            var files = ScenarioFiles.All(layout);
            if (files.Count == 0)
            {
                error.WriteLine($"no scenario files under {layout.Scenarios}");
                return ExitCodes.InvalidInput;
            }
            var loader = new ScenarioLoader(ScenarioCatalog.Default, layout.Clusters);
            var invalid = 0;
            foreach (var file in files)
            {
                var (scenario, errors) = loader.TryLoad(file);
                var relative = Path.GetRelativePath(layout.Root, file);
                if (scenario is null)
                {
                    invalid++;
                    output.WriteLine($"{relative}  INVALID ({errors.Count} error(s); run it to see them)");
                    continue;
                }
                output.WriteLine($"{scenario.Name}  [{string.Join(",", scenario.Suites)}]  mesh={scenario.Mesh}  {relative}");
                output.WriteLine($"    claim: {scenario.Claim}");
                if (scenario.PlanSection is { } section) output.WriteLine($"    plan:  {section}");
                if (scenario.NegativeControls.Count > 0)
                    output.WriteLine($"    negative controls: {string.Join(", ", scenario.NegativeControls.Select(c => c.Name))}");
            }
            return invalid > 0 ? ExitCodes.InvalidInput : ExitCodes.Pass;
        });
        return command;
    }
}

internal static class ScenarioFiles
{
    public static IReadOnlyList<string> All(RepoLayout layout) =>
        Directory.Exists(layout.Scenarios)
            ? Directory.EnumerateFiles(layout.Scenarios, "*.yaml", SearchOption.TopDirectoryOnly)
                .Concat(Directory.EnumerateFiles(layout.Scenarios, "*.yml", SearchOption.TopDirectoryOnly))
                .OrderBy(f => f, StringComparer.Ordinal).ToList()
            : [];
}
