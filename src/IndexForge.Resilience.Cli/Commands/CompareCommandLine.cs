using System.CommandLine;
using IndexForge.Resilience.Reports.Compare;

namespace IndexForge.Resilience.Cli.Commands;

/// <summary><c>compare</c>: a release candidate's run against the last release's, figure by figure. Exit 1 on regression.</summary>
public static class CompareCommandLine
{
    public static Command Create(RepoLayout layout, TextWriter output, TextWriter error)
    {
        var baseline = new Argument<string>("baseline-run") { Description = "Baseline run: a reports/<run-id> directory, its summary.json, or a run id." };
        var candidate = new Argument<string>("candidate-run") { Description = "Candidate run, the same forms." };
        var tolerance = new Option<double>("--tolerance") { Description = "Relative tolerance (0.10 = 10%).", DefaultValueFactory = _ => CompareConstants.DefaultRelativeTolerance };
        var json = new Option<bool>("--json") { Description = "Print the comparison as JSON." };
        var jsonOut = new Option<string?>("--json-out") { Description = "Also write the comparison as JSON to this file." };
        var changes = new Option<bool>("--only-changes") { Description = "List only figures beyond tolerance and verdicts that changed." };
        var command = new Command("compare", "Compare two runs per scenario and assertion; regressions are flagged and exit 1.")
        {
            baseline, candidate, tolerance, json, jsonOut, changes,
        };
        command.SetAction(parse => CompareCommand.Run(parse.GetValue(baseline)!, parse.GetValue(candidate)!, new CompareOptions
        {
            RelativeTolerance = parse.GetValue(tolerance),
            Format = parse.GetValue(json) ? CompareOutputFormat.Json : CompareOutputFormat.Text,
            JsonPath = parse.GetValue(jsonOut),
            OnlyChanges = parse.GetValue(changes),
            ReportsRoot = layout.Reports,
        }, output, error));
        return command;
    }
}
