using System.Globalization;
using IndexForge.Resilience.Kubernetes.LoadAgents;
using IndexForge.Resilience.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;

namespace IndexForge.Resilience.Cli.Tests.Commands;

/// <summary>The <c>agent</c> command end to end, in process, against a loopback server (short, bounded loads).</summary>
public sealed class AgentCommandTests : IAsyncLifetime
{
    private WebApplication _server = null!;
    private string _url = "";
    private readonly string _dir = Directory.CreateTempSubdirectory("indexforge-agent-").FullName;
    private string Scenario => Path.Combine(_dir, "agent.yaml");

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.Run(ctx => ctx.Response.WriteAsync("ok"));
        await _server.StartAsync();
        _url = _server.Urls.First();
        await File.WriteAllTextAsync(Scenario, """
            name: agent-share
            claim: "agents split the schedule"
            load:
              phases:
                - {name: steady, type: constant-arrival-rate, rate: 20, duration: 1s}
            assertions:
              - {name: none-failed, type: threshold, expr: "rate(failed) == 0"}
            """);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var parsed = Program.Build(new RepoLayout(RepoPaths.Root), output, error).Parse(args);
        var exit = parsed.Errors.Count > 0 ? 2 : await parsed.InvokeAsync();
        return (exit, output.ToString(), error.ToString());
    }

    private static string Soon(int ms) => DateTimeOffset.UtcNow.AddMilliseconds(ms).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Agent_SecondOfTwo_SendsHalfTheScheduleAndPrintsItsWindows()
    {
        var (exit, output, error) = await Run("agent", "--scenario", Scenario, "--target-url", _url, "--agents", "2", "--agent-index", "1", "--start-at", Soon(300), "--seed", "3");

        Assert.True(exit == 0, error);
        var report = AgentReport.Parse(output, "1");
        Assert.Equal((1, 2), (report.Header.Agent, report.Header.Agents));
        Assert.Equal(10, report.Windows.Sum(w => w.Sent));
        Assert.Equal(10, report.Windows.Sum(w => w.Succeeded));
        Assert.Equal(10, report.Histograms[AgentReport.TagOf(AgentTags.Latency, 0)].TotalCount);
        Assert.Contains("agent 1/2", error);
        // Negative control: alone, the agent sends the whole schedule.
        var (_, whole, _) = await Run("agent", "--scenario", Scenario, "--target-url", _url, "--start-at", Soon(200));
        Assert.Equal(20, AgentReport.Parse(whole, "0").Windows.Sum(w => w.Sent));
    }

    [Fact]
    public async Task Agent_StartLongPast_RefusedWithExit2()
    {
        var past = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

        var (exit, output, error) = await Run("agent", "--scenario", Scenario, "--target-url", _url, "--start-at", past);

        Assert.Equal(2, exit);
        Assert.Contains("in the past", error);
        Assert.DoesNotContain(AgentReport.Begin, output);
    }

    [Theory]
    [InlineData("--agents", "3", "--agent-index", "3", "outside 0..2")]
    [InlineData("--agents", "0", "--agent-index", "0", "at least one agent")]
    public async Task Agent_BadShare_RefusedWithExit2(string k1, string v1, string k2, string v2, string expected)
    {
        var (exit, _, error) = await Run("agent", "--scenario", Scenario, "--target-url", _url, "--start-at", Soon(100), k1, v1, k2, v2);

        Assert.Equal(2, exit);
        Assert.Contains(expected, error);
    }

    [Fact]
    public async Task Agent_NotAUrl_RefusedWithExit2()
    {
        var (exit, _, error) = await Run("agent", "--scenario", Scenario, "--target-url", "indexforge:8080", "--start-at", Soon(100));

        Assert.Equal(2, exit);
        Assert.Contains("--target-url", error);
    }

    [Fact]
    public async Task Run_LoadAgentsOnEmbedded_RefusedWithExit2()
    {
        var (exit, _, error) = await Run("run", Scenario, "--load-agents", "2");

        Assert.Equal(2, exit);
        Assert.Contains("--load-agents needs --target k3s or --target kubeconfig", error);
    }

    [Fact]
    public async Task Run_LoadAgentsZero_RefusedWithExit2()
    {
        var (exit, _, error) = await Run("run", Scenario, "--target", "kubeconfig", "--load-agents", "0");

        Assert.Equal(2, exit);
        Assert.Contains("--load-agents must be between 1 and", error);
    }
}
