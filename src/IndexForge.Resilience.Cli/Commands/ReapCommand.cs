using System.CommandLine;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Kubernetes.Kube;
using IndexForge.Resilience.Kubernetes.Reaping;

namespace IndexForge.Resilience.Cli.Commands;

/// <summary><c>reap</c>: delete expired run namespaces that crashed runs left on a cluster.</summary>
public static class ReapCommand
{
    public static Command Create(RepoLayout layout, TextWriter output, TextWriter error)
    {
        var kubeconfig = new Option<string>("--kubeconfig") { Description = "kubeconfig file of the cluster.", Required = true };
        var context = new Option<string?>("--context") { Description = "kubeconfig context (default: current)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only list what would be deleted." };
        var command = new Command("reap", "Remove expired run namespaces (labelled by the harness) left behind by crashed runs.") { kubeconfig, context, dryRun };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(kubeconfig)!;
            if (!File.Exists(path))
            {
                await error.WriteLineAsync($"reap: kubeconfig not found: {path}");
                return ExitCodes.InvalidInput;
            }
            try
            {
                var report = await new Reaper(KubeClients.FromKubeconfigFile(path, parse.GetValue(context)), TimeProvider.System)
                    .ReapAsync(parse.GetValue(dryRun), cancellationToken);
                foreach (var line in report.Lines()) await output.WriteLineAsync(line);
                return ExitCodes.Pass;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await error.WriteLineAsync($"reap failed: {e.Message}");
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }
}
