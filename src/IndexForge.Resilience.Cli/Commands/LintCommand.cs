using System.CommandLine;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint;
using IndexForge.Resilience.Lint.Formatting;

namespace IndexForge.Resilience.Cli.Commands;

/// <summary><c>lint</c>: the plan's configuration mistakes, before anything runs.</summary>
public static class LintCommand
{
    public static Command Create(RepoLayout layout, TextWriter output, TextWriter error)
    {
        var paths = new Argument<string[]>("path") { Description = "Files or directories to lint (default: clusters/).", Arity = ArgumentArity.ZeroOrMore };
        var format = new Option<string>("--format") { Description = "Output format: text, json or junit.", DefaultValueFactory = _ => LintFormats.Text };
        format.AcceptOnlyFromAmong([.. LintFormats.All]);
        var outFile = new Option<string?>("--out") { Description = "Also write the output to this file (e.g. lint-junit.xml for CI)." };
        var noPromtool = new Option<bool>("--no-promtool") { Description = "Do not run promtool even where it is installed." };
        var command = new Command("lint", "Check the Istio, Kubernetes, Vault, Prometheus, TLS and rotation configuration for the plan's mistakes. Exit 1 on any error-level finding.")
        {
            paths, format, outFile, noPromtool,
        };
        command.SetAction(parse =>
        {
            var targets = parse.GetValue(paths) is { Length: > 0 } given ? given : [layout.Clusters];
            var missing = targets.Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
            if (missing.Count > 0)
            {
                foreach (var m in missing) error.WriteLine($"lint: no such file or directory: {m}");
                return ExitCodes.InvalidInput;
            }
            var report = Linter.Lint(targets, LintOptions.Default with { RunPromtool = !parse.GetValue(noPromtool) });
            var text = LintFormatter.Format(report, parse.GetValue(format)!);
            output.Write(text);
            if (parse.GetValue(outFile) is { } file) File.WriteAllText(file, text);
            return report.ExitCode;
        });
        return command;
    }
}
