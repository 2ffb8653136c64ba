using System.CommandLine;
using System.Text.Json;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Load.Pause;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Core.Scenarios;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Embedded;

namespace IndexForge.Resilience.Cli.Commands;

/// <summary><c>up</c>: the embedded environment, kept running until Ctrl-C, with every endpoint a person would curl.</summary>
public static class UpCommand
{
    public static Command Create(RepoLayout layout, TextWriter output, TextWriter error)
    {
        var replicas = new Option<string>("--replicas")
        {
            Description = "Replicas per region, e.g. us-west=3,us-east=3.",
            DefaultValueFactory = _ => "us-west=3,us-east=3",
        };
        var mesh = new Option<string>("--mesh")
        {
            Description = "Mesh configuration under clusters/ (plan, hardened, hardened-fast, ...).",
            DefaultValueFactory = _ => ScenarioConstants.DefaultMesh,
        };
        var secrets = new Option<bool>("--secrets") { Description = "Also start the embedded Vault-compatible secrets server and make replicas read their credential from it." };
        var json = new Option<bool>("--json") { Description = "Print the endpoints as one JSON document." };
        var seed = new Option<int>("--seed") { Description = "Seed for the data plane's random choices.", DefaultValueFactory = _ => 1 };
        var command = new Command("up", "Bring the embedded environment up and keep it running until Ctrl-C, printing every endpoint.")
        {
            replicas, mesh, secrets, json, seed,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!TryParseReplicas(parse.GetValue(replicas)!, out var counts, out var problem))
            {
                await error.WriteLineAsync(problem);
                return ExitCodes.InvalidInput;
            }
            var meshDirectory = Path.Combine(layout.Clusters, parse.GetValue(mesh)!);
            if (!Directory.Exists(meshDirectory))
            {
                await error.WriteLineAsync($"mesh configuration not found: {meshDirectory}");
                return ExitCodes.InvalidInput;
            }
            var scenario = new Scenario
            {
                Name = "up",
                Claim = "interactive environment",
                Mesh = parse.GetValue(mesh)!,
                Topology = new TopologySpec { Replicas = counts, CallerRegion = counts.Keys.First() },
                Secrets = parse.GetValue(secrets) ? new SecretsSpec() : null,
                Load = new LoadSpec { Phases = [new PauseOptions { Name = "idle", Type = PhaseTypes.Pause, Duration = TimeSpan.FromSeconds(1) }] },
            };
            var work = Path.Combine(Path.GetTempPath(), "indexforge-resilience", $"up-{Environment.ProcessId}");
            await using var target = new EmbeddedTarget();
            TargetEnvironment env;
            try
            {
                env = await target.UpAsync(new TargetRequest
                {
                    Scenario = scenario, MeshConfigDirectory = Path.GetFullPath(meshDirectory), RunId = "up",
                    Seed = parse.GetValue(seed), WorkDirectory = work,
                }, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await error.WriteLineAsync($"could not bring the environment up: {e.Message}");
                return ExitCodes.InvalidInput;
            }

            if (parse.GetValue(json)) await output.WriteLineAsync(ToJson(env));
            else await WriteText(output, env);
            await output.FlushAsync(cancellationToken);
            try { await Task.Delay(Timeout.Infinite, cancellationToken); }
            catch (OperationCanceledException) { }
            await target.DownAsync(CancellationToken.None);
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
            await error.WriteLineAsync("environment stopped");
            return ExitCodes.Pass;
        });
        return command;
    }

    internal static bool TryParseReplicas(string text, out Dictionary<string, int> counts, out string problem)
    {
        counts = new Dictionary<string, int>(StringComparer.Ordinal);
        problem = "";
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2 || kv[0].Length == 0 || !int.TryParse(kv[1], out var n) || n is < 1 or > ScenarioValidator.MaxReplicasPerRegion)
            {
                problem = $"--replicas: '{part}' is not region=count with a count from 1 to {ScenarioValidator.MaxReplicasPerRegion} (e.g. us-west=3,us-east=3)";
                return false;
            }
            if (!counts.TryAdd(kv[0], n))
            {
                problem = $"--replicas: region '{kv[0]}' is given twice";
                return false;
            }
        }
        if (counts.Count == 0) problem = "--replicas: name at least one region, e.g. us-west=3";
        return counts.Count > 0;
    }

    private static async Task WriteText(TextWriter output, TargetEnvironment env)
    {
        await output.WriteLineAsync("IndexForge embedded environment is up (Ctrl-C to stop)");
        await output.WriteLineAsync($"  entry point   {env.EntryPoint}   e.g. curl -i '{new Uri(env.EntryPoint, "/search?q=vault")}'");
        foreach (var r in env.Replicas)
            await output.WriteLineAsync($"  replica       {r.Id,-12} {r.Region}/{r.Zone,-10} {r.Address}");
        foreach (var e in env.Endpoints)
            await output.WriteLineAsync($"  {e.Name,-28} {e.Address}   {e.Description}");
        if (env.Replicas.Any(r => r.Address.Scheme == "https"))
            await output.WriteLineAsync("  replicas require mTLS with a workload certificate from the run's mesh CA (STRICT); go through the entry point");
        foreach (var w in env.Warnings) await output.WriteLineAsync($"  warning: {w}");
    }

    private static string ToJson(TargetEnvironment env) => JsonSerializer.Serialize(new
    {
        entryPoint = env.EntryPoint,
        replicas = env.Replicas.Select(r => new { id = r.Id, region = r.Region, zone = r.Zone, address = r.Address }),
        endpoints = env.Endpoints.Select(e => new { name = e.Name, address = e.Address, description = e.Description }),
        warnings = env.Warnings,
    }, new JsonSerializerOptions { WriteIndented = true });
}
