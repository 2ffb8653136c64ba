using System.CommandLine;
using System.Globalization;
using System.Net;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.SampleService;

namespace IndexForge.Resilience.Cli.Commands;

/// <summary>
/// <c>serve</c>: one replica of the sample service in the foreground, as the container image runs it
/// (the Istio sidecar does mTLS there). Settings come from INDEXFORGE_* environment variables.
/// </summary>
public static class ServeCommand
{
    public const int DefaultPort = 8080;

    public static Command Create(RepoLayout layout, TextWriter output, TextWriter error)
    {
        var command = new Command("serve", "Run one replica of the IndexForge sample service (for the container image). " +
            "Environment: INDEXFORGE_REPLICA, INDEXFORGE_REGION, INDEXFORGE_ZONE, INDEXFORGE_PORT (8080), INDEXFORGE_BIND (0.0.0.0).");
        command.SetAction(async (_, cancellationToken) =>
        {
            string Env(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;
            if (!int.TryParse(Env("INDEXFORGE_PORT", DefaultPort.ToString(CultureInfo.InvariantCulture)), out var port) || port is < 1 or > 65535)
            {
                await error.WriteLineAsync("serve: INDEXFORGE_PORT must be a port number");
                return ExitCodes.InvalidInput;
            }
            if (!IPAddress.TryParse(Env("INDEXFORGE_BIND", "0.0.0.0"), out var bind))
            {
                await error.WriteLineAsync("serve: INDEXFORGE_BIND must be an IP address");
                return ExitCodes.InvalidInput;
            }
            await using var host = await SampleServiceHost.StartAsync(new SampleServiceOptions
            {
                ReplicaId = Env("INDEXFORGE_REPLICA", Environment.MachineName),
                Region = Env("INDEXFORGE_REGION", "us-west"),
                Zone = Env("INDEXFORGE_ZONE", "us-westa"),
                BindAddress = bind,
                Port = port,
            }, cancellationToken);
            await output.WriteLineAsync($"serving {host.ReplicaId} on {host.Address}");
            try { await Task.Delay(Timeout.Infinite, cancellationToken); }
            catch (OperationCanceledException) { }
            return ExitCodes.Pass;
        });
        return command;
    }
}
