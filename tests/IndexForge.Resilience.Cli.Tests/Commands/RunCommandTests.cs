using System.Text.Json;
using IndexForge.Resilience.Cli;
using IndexForge.Resilience.Cli.Tests.Suite;
using IndexForge.Resilience.Testing;
using Xunit;

namespace IndexForge.Resilience.Cli.Tests.Commands;

[Collection(SuiteCollection.Name)]
public class RunCommandTests
{
    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = Program.Build(new RepoLayout(RepoPaths.Root), output, error);
        var parsed = root.Parse(args);
        var exit = parsed.Errors.Count > 0 ? 2 : await parsed.InvokeAsync();
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Run_FileWithSeveralMistakes_ReportsEachWithLineAndColumnAndExits2()
    {
        var dir = Directory.CreateTempSubdirectory("indexforge-cli-").FullName;
        try
        {
            var file = Path.Combine(dir, "broken.yaml");
            await File.WriteAllTextAsync(file, """
                name: broken
                claim: c
                mesh: hardened
                load:
                  phases:
                    - name: steady
                      type: constant-arival-rate
                      rate: 10
                      duration: 5s
                    - name: second
                      type: constant-arrival-rate
                      rate: -3
                      duration: 5
                faults:
                  - type: replica-kill
                    replica: us-west-9
                    at: 1s
                """);
            var (exit, _, err) = await Run("run", file, "--out", Path.Combine(dir, "out"));
            Assert.Equal(2, exit);
            Assert.Contains("broken.yaml:7:13: unknown type 'constant-arival-rate'", err);
            Assert.Contains("did you mean 'constant-arrival-rate'", err);
            Assert.Contains("broken.yaml:12:13: 'load.phases[1].rate' must be between", err);
            Assert.Contains("broken.yaml:13:17: 'load.phases[1].duration' must be a duration", err);
            Assert.Contains("nothing was started", err);
            Assert.False(Directory.Exists(Path.Combine(dir, "out")), "no report: nothing started");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Run_UnknownReplicaInAValidFile_IsReportedAtItsPosition()
    {
        var dir = Directory.CreateTempSubdirectory("indexforge-cli-").FullName;
        try
        {
            var file = Path.Combine(dir, "ref.yaml");
            await File.WriteAllTextAsync(file, "name: r\nclaim: c\nmesh: hardened\nload:\n  phases:\n    - {name: s, type: pause, duration: 2s}\nfaults:\n  - {type: replica-kill, replica: us-west-9, at: 1s}\n");
            var (exit, _, err) = await Run("run", file);
            Assert.Equal(2, exit);
            Assert.Contains("ref.yaml:8:35: replica 'us-west-9' does not exist", err);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Run_Baseline_WritesReportsAndSummaryJson()
    {
        var dir = Directory.CreateTempSubdirectory("indexforge-cli-").FullName;
        try
        {
            var (exit, output, err) = await Run("run", RepoPaths.Of("scenarios", "baseline.yaml"), "--seed", "11", "--out", Path.Combine(dir, "run"));
            Assert.True(exit is 0 or 1, $"exit {exit}: {err}");
            foreach (var f in new[] { "summary.json", "junit.xml", "index.html", "summary.md" })
                Assert.True(File.Exists(Path.Combine(dir, "run", f)), $"{f} missing; output: {output} {err}");
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "run", "summary.json")));
            var root = json.RootElement;
            Assert.Equal("1.0", root.GetProperty("schemaVersion").GetString());
            Assert.Equal(11, root.GetProperty("manifest").GetProperty("seed").GetInt32());
            var scenario = root.GetProperty("scenarios")[0];
            Assert.Equal("baseline", scenario.GetProperty("name").GetString());
            Assert.Equal(3, scenario.GetProperty("assertions").GetArrayLength());
            Assert.True(scenario.GetProperty("load").GetProperty("completed").GetInt64() > 1000);
            Assert.Equal(exit == 0 ? "pass" : "fail", root.GetProperty("verdict").GetString()!.ToLowerInvariant());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task List_PrintsEveryScenarioWithItsClaim()
    {
        var (exit, output, _) = await Run("list");
        Assert.Equal(0, exit);
        foreach (var f in Directory.EnumerateFiles(RepoPaths.Of("scenarios"), "*.yaml"))
            Assert.Contains(Path.GetFileName(f), output);
        Assert.Contains("claim:", output);
    }

    [Fact]
    public async Task Run_UnknownTarget_IsInvalidInput()
    {
        var (exit, _, _) = await Run("run", RepoPaths.Of("scenarios", "baseline.yaml"), "--target", "nomad");
        Assert.Equal(2, exit);
    }

    [Fact]
    public async Task Run_VaultAddressWithoutToken_InvalidInputBeforeAnythingStarts_TokenNeverEchoed()
    {
        var before = Environment.GetEnvironmentVariable("VAULT_TOKEN");
        try
        {
            Environment.SetEnvironmentVariable("VAULT_TOKEN", null);
            var (exit, _, err) = await Run("run", RepoPaths.Of("scenarios", "baseline.yaml"), "--target", "kubeconfig", "--kubeconfig", "/nonexistent",
                "--vault-address", "https://vault.staging:8200");
            Assert.Equal(2, exit);
            Assert.Contains("VAULT_TOKEN", err);

            // Negative control: with the token set, the same command gets past the token check (and stops at the missing CA file).
            Environment.SetEnvironmentVariable("VAULT_TOKEN", "s.cli-test-token");
            (exit, _, err) = await Run("run", RepoPaths.Of("scenarios", "baseline.yaml"), "--target", "kubeconfig", "--kubeconfig", "/nonexistent",
                "--vault-address", "https://vault.staging:8200", "--vault-ca", "/nonexistent/ca.pem");
            Assert.Equal(2, exit);
            Assert.DoesNotContain("VAULT_TOKEN", err);
            Assert.Contains("/nonexistent/ca.pem: file not found", err);
            Assert.DoesNotContain("s.cli-test-token", err);
        }
        finally
        {
            Environment.SetEnvironmentVariable("VAULT_TOKEN", before);
        }
    }

    [Fact]
    public void RunHelp_ListsVaultOptions()
    {
        var run = Program.Build(new RepoLayout(RepoPaths.Root), new StringWriter(), new StringWriter()).Subcommands.Single(c => c.Name == "run");
        var address = Assert.Single(run.Options, o => o.Name == "--vault-address");
        Assert.Contains("VAULT_TOKEN", address.Description);
        Assert.Contains(run.Options, o => o.Name == "--vault-ca");
        Assert.DoesNotContain(run.Options, o => o.Name == "--vault-token"); // the token never goes on a command line
    }
}
