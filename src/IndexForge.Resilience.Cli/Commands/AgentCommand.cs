using System.CommandLine;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Core.Scenarios;
using IndexForge.Resilience.Kubernetes.LoadAgents;

namespace IndexForge.Resilience.Cli.Commands;

/// <summary>
/// <c>agent</c>: one load agent of <c>--load-agents</c> (one pod of the Job). Sends agent i's share of the
/// scenario's schedule (sends i, i+N, i+2N…; closed-model users likewise) to --target-url from the shared
/// --start-at, then prints its windows (<see cref="AgentReport"/>) on stdout; progress goes to stderr.
/// Exit codes: 0 the load ran and its windows are printed; 1 it was cut short (cancelled; what was
/// measured is printed, marked cancelled); 2 invalid input (nothing sent).
/// </summary>
public static class AgentCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider? time = null)
    {
        var scenario = new Option<string>("--scenario") { Description = "Scenario file whose load this agent sends a share of.", Required = true };
        var targetUrl = new Option<string>("--target-url") { Description = "Where every phase sends (inside the cluster: the service through the agent's sidecar).", Required = true };
        var agents = new Option<int>("--agents") { Description = "How many agents share the load.", DefaultValueFactory = _ => 1 };
        var index = new Option<int>("--agent-index") { Description = "This agent's index, 0..agents-1 (the Job's completion index).", DefaultValueFactory = _ => 0 };
        var startAt = new Option<long>("--start-at") { Description = "Shared start of the load, unix milliseconds; the agent waits for it.", Required = true };
        var seed = new Option<int>("--seed") { Description = "The run's seed (request-mix draws); every agent of a run gets the same.", DefaultValueFactory = _ => 0 };
        var command = new Command("agent", "Run one load agent's share of a scenario's load and print its windows and histograms (used by --load-agents).")
        {
            scenario, targetUrl, agents, index, startAt, seed,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var clock = time ?? TimeProvider.System;
            var file = parse.GetValue(scenario)!;
            if (!Uri.TryCreate(parse.GetValue(targetUrl), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                await error.WriteLineAsync($"agent: --target-url must be an absolute http(s) URL, got '{parse.GetValue(targetUrl)}'");
                return ExitCodes.InvalidInput;
            }
            var share = new LoadShare(parse.GetValue(index), parse.GetValue(agents));
            if (share.Problems().FirstOrDefault() is { } bad)
            {
                await error.WriteLineAsync($"agent: {bad}");
                return ExitCodes.InvalidInput;
            }
            Scenario loaded;
            try
            {
                // No clusters directory here: the agent needs the load only, not the mesh files.
                loaded = new ScenarioLoader(ScenarioCatalog.Default).Load(file);
            }
            catch (ScenarioValidationException e)
            {
                foreach (var problem in e.Errors) await error.WriteLineAsync(problem.ToString());
                await error.WriteLineAsync($"agent: {e.Errors.Count} error(s) in {file}; nothing was sent.");
                return ExitCodes.InvalidInput;
            }
            catch (IOException e)
            {
                await error.WriteLineAsync($"agent: cannot read {file}: {e.Message}");
                return ExitCodes.InvalidInput;
            }
            var origin = DateTimeOffset.FromUnixTimeMilliseconds(parse.GetValue(startAt));
            LoadRun run;
            try
            {
                run = await LoadAgent.RunAsync(new LoadAgentRequest
                {
                    Load = loaded.Load, TargetUrl = url, Share = share, StartAt = origin, Seed = parse.GetValue(seed), Time = clock,
                }, Engines.Load(), line => error.WriteLine(line), cancellationToken);
            }
            catch (LoadAgentException e)
            {
                await error.WriteLineAsync($"agent: refused: {e.Message}");
                return ExitCodes.InvalidInput;
            }
            AgentReport.Write(output, share.Index, share.Count, origin, run);
            await output.FlushAsync(CancellationToken.None);
            return run.Cancelled ? ExitCodes.AssertionFailed : ExitCodes.Pass;
        });
        return command;
    }
}
