using System.CommandLine;
using IndexForge.Resilience.Cli.Commands;
using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = Build(RepoLayout.Find(), Console.Out, Console.Error);
        var parsed = root.Parse(args);
        // Invalid input is exit code 2 (the project's contract), not the library's default 1.
        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var error in parsed.Errors) await Console.Error.WriteLineAsync($"error: {error.Message}");
            await Console.Error.WriteLineAsync($"run '{parsed.CommandResult.Command.Name} --help' for usage");
            return ExitCodes.InvalidInput;
        }
        return await parsed.InvokeAsync();
    }

    public static RootCommand Build(RepoLayout layout, TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
            "IndexForge.Resilience: chaos and load testing that certifies the security and resilience promises of an Istio + Vault platform.\n" +
            "Exit codes: 0 all assertions passed, 1 an assertion failed, 2 invalid input or environment.");
        root.Subcommands.Add(RunCommand.Create(layout, output, error));
        root.Subcommands.Add(ListCommand.Create(layout, output, error));
        root.Subcommands.Add(UpCommand.Create(layout, output, error));
        root.Subcommands.Add(LintCommand.Create(layout, output, error));
        root.Subcommands.Add(CompareCommandLine.Create(layout, output, error));
        root.Subcommands.Add(ReapCommand.Create(layout, output, error));
        root.Subcommands.Add(ServeCommand.Create(layout, output, error));
        root.Subcommands.Add(BenchCommand.Create(layout, output, error));
        root.Subcommands.Add(AgentCommand.Create(output, error));
        return root;
    }
}
