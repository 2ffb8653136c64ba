using System.Text.Json.Nodes;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Load.ConstantArrivalRate;
using IndexForge.Resilience.Core.Running;
using IndexForge.Resilience.Kubernetes.Guard;
using IndexForge.Resilience.Kubernetes.LoadAgents;
using IndexForge.Resilience.Kubernetes.Tests.Fakes;
using IndexForge.Resilience.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;

namespace IndexForge.Resilience.Kubernetes.Tests.LoadAgents;

/// <summary>
/// The distributed engine against the fake API server, with a stand-in Job controller that runs the
/// agents for real (in process, the real load engine) against a loopback server and serves their
/// output as pod logs.
/// </summary>
public sealed class DistributedLoadEngineTests : IAsyncLifetime
{
    private const string Ns = "indexforge-run-agents";
    private const int Agents = 3;
    private FakeKubeApiServer _api = null!;
    private WebApplication _target = null!;
    private Uri _targetUrl = null!;
    private readonly string _scenarioFile = Path.Combine(Path.GetTempPath(), $"agents-{Guid.NewGuid():N}.yaml");

    public async Task InitializeAsync()
    {
        _api = await FakeKubeApiServer.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        _target = builder.Build();
        _target.Run(ctx =>
        {
            ctx.Response.Headers["x-indexforge-replica"] = "us-west-1";
            ctx.Response.Headers["x-indexforge-region"] = "us-west";
            return ctx.Response.WriteAsync("ok");
        });
        await _target.StartAsync();
        _targetUrl = new Uri(_target.Urls.First());
        await File.WriteAllTextAsync(_scenarioFile, "name: agents\n");
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _target.DisposeAsync();
        File.Delete(_scenarioFile);
    }

    private static LoadSpec Spec() => new()
    {
        Phases = [new ConstantArrivalRateOptions { Name = "steady", Type = PhaseTypes.ConstantArrivalRate, Rate = 30, Duration = TimeSpan.FromSeconds(2) }],
        Requests = [new RequestSpec { Path = "/a", Weight = 2 }, new RequestSpec { Path = "/b", Weight = 1 }],
    };

    private LoadAgentSite Site() => new()
    {
        Client = _api.Client(),
        Guard = new NamespaceGuard(Ns),
        InClusterEntry = _targetUrl,
        ScenarioFile = _scenarioFile,
        CallerLocality = "us-west.us-westa",
        ImageAsync = _ => Task.FromResult("indexforge/resilience-agent:test"),
        JobTemplate = RepoPaths.Of("clusters", "k3s", "load-agent", "job.yaml"),
    };

    private static LoadAgentOptions Options() => new()
    {
        Agents = Agents, ScheduleLead = TimeSpan.FromMilliseconds(600), PollInterval = TimeSpan.FromMilliseconds(100),
        CompletionSlack = TimeSpan.FromSeconds(20), CleanupTimeout = TimeSpan.FromSeconds(5),
    };

    private enum Outcome { AllSucceed, OneFails, OneMissing, Never }

    /// <summary>The Job controller's stand-in: runs each agent as its pod would and records the pods and their logs.</summary>
    private void ControlJobs(Outcome outcome)
    {
        _api.Created = (path, obj) =>
        {
            if (obj["kind"]?.GetValue<string>() != "Job") return;
            var name = obj["metadata"]!["name"]!.GetValue<string>();
            var args = obj["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
            string Arg(string key) => args.Single(a => a.StartsWith($"--{key}=", StringComparison.Ordinal))[(key.Length + 3)..];
            var startAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(Arg("start-at"), System.Globalization.CultureInfo.InvariantCulture));
            var seed = int.Parse(Arg("seed"), System.Globalization.CultureInfo.InvariantCulture);
            var url = new Uri(Arg("target-url"));
            if (outcome == Outcome.Never) return;
            _ = Task.Run(async () =>
            {
                var outputs = await Task.WhenAll(Enumerable.Range(0, Agents).Select(i => RunAgentAsync(i, url, startAt, seed)));
                var succeeded = 0;
                for (var i = 0; i < Agents; i++)
                {
                    var pod = $"{name}-{i}-x";
                    var failed = outcome == Outcome.OneFails && i == 1;
                    if (outcome == Outcome.OneMissing && i == 2) continue;
                    var podJson = new JsonObject
                    {
                        ["apiVersion"] = "v1", ["kind"] = "Pod",
                        ["metadata"] = new JsonObject
                        {
                            ["name"] = pod, ["namespace"] = Ns,
                            ["labels"] = new JsonObject { [LoadAgentConstants.JobLabel] = name },
                            ["annotations"] = new JsonObject { [LoadAgentConstants.CompletionIndexAnnotation] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                        },
                        ["status"] = new JsonObject { ["phase"] = failed ? "Failed" : "Succeeded" },
                    };
                    _api.Seed(podJson.ToJsonString());
                    _api.PodLogs[(Ns, pod)] = failed ? "agent 1/3: starting\nagent: refused: the shared start is 9 s in the past\n" : outputs[i];
                    if (!failed) succeeded++;
                }
                _api.Update(path, j => j["status"] = new JsonObject
                {
                    ["succeeded"] = outcome == Outcome.OneMissing ? Agents : succeeded,
                    ["failed"] = outcome == Outcome.OneFails ? 1 : 0,
                });
            });
        };
    }

    private static async Task<string> RunAgentAsync(int index, Uri url, DateTimeOffset startAt, int seed)
    {
        var share = new LoadShare(index, Agents);
        var run = await LoadAgent.RunAsync(new LoadAgentRequest { Load = Spec(), TargetUrl = url, Share = share, StartAt = startAt, Seed = seed }, new LoadEngine(), null, CancellationToken.None);
        var output = new StringWriter();
        output.WriteLine($"agent {share}: progress before");
        AgentReport.Write(output, index, Agents, startAt, run);
        output.WriteLine("progress after");
        return output.ToString();
    }

    private LoadPlan Plan(Action<DateTimeOffset>? announced = null) => new()
    {
        Spec = Spec(),
        Resolve = _ => new LoadEndpoint(_targetUrl),
        Seed = 11,
        StartScheduled = announced,
    };

    [Fact]
    public async Task RunAsync_ThreeAgents_MergesExactlyWhatOneEngineMeasuresForTheSameSchedule()
    {
        ControlJobs(Outcome.AllSucceed);
        DateTimeOffset? announced = null;
        var engine = new DistributedLoadEngine(Site, Options());

        var merged = await engine.RunAsync(Plan(at => announced = at), null, CancellationToken.None);
        var single = await new LoadEngine().RunAsync(Plan(), null, CancellationToken.None);

        Assert.Equal(announced, merged.StartedAt);
        Assert.Equal(single.Windows.Select(w => w.Index), merged.Windows.Select(w => w.Index));
        foreach (var (m, s) in merged.Windows.Zip(single.Windows))
        {
            Assert.Equal((s.Start, s.Length, s.Phase), (m.Start, m.Length, m.Phase));
            Assert.Equal((s.Scheduled, s.Sent, s.Completed, s.Succeeded, s.Failed, s.Dropped), (m.Scheduled, m.Sent, m.Completed, m.Succeeded, m.Failed, m.Dropped));
            Assert.Equal(s.StatusCodes, m.StatusCodes);
            Assert.Equal(s.ByReplica, m.ByReplica);
            Assert.Equal(s.ByRegion, m.ByRegion);
            Assert.Equal(s.Latency.TotalCount, m.Latency.TotalCount);
            Assert.Equal(s.SchedulerLag.TotalCount, m.SchedulerLag.TotalCount);
        }
        Assert.Equal(60, merged.Windows.Sum(w => w.Succeeded));
        Assert.Equal(single.Phases, merged.Phases);

        // Percentiles come from the merged histogram: equal to those of every agent's values added together.
        var direct = LoadHistograms.Create();
        foreach (var log in _api.PodLogs.Values) direct.Add(AgentReport.Parse(log, "x").Log.Windows.Where(w => w.Tag.StartsWith(AgentTags.Latency + "/", StringComparison.Ordinal)).Select(w => w.Histogram).Aggregate(LoadHistograms.Create(), (a, h) => { a.Add(h); return a; }));
        var all = LoadRun.Merge(merged.Windows, w => w.Latency);
        Assert.Equal(direct.TotalCount, all.TotalCount);
        Assert.Equal(direct.GetValueAtPercentile(99), all.GetValueAtPercentile(99));

        // Negative control: two agents' output is not the whole run.
        var two = _api.PodLogs.Values.Take(2).Select((l, i) => AgentReport.Parse(l, $"{i}")).ToList();
        Assert.Throws<AgentMergeException>(() => AgentRunMerger.Merge(two, Agents, Spec()));
        Assert.NotEqual(single.Windows.Sum(w => w.Sent), two.Sum(a => a.Windows.Sum(w => w.Sent)));
    }

    [Fact]
    public async Task RunAsync_MakesExactlyTheseRequests_AndCleansUp()
    {
        ControlJobs(Outcome.AllSucceed);

        await new DistributedLoadEngine(Site, Options()).RunAsync(Plan(), null, CancellationToken.None);

        var calls = _api.Requests.Select(r => $"{r.Method} {r.Path}").Distinct().ToList();
        var jobs = $"/apis/batch/v1/namespaces/{Ns}/jobs";
        Assert.Equal($"POST /api/v1/namespaces/{Ns}/configmaps", calls[0]);
        Assert.Equal($"POST {jobs}", calls[1]);
        Assert.StartsWith($"GET {jobs}/indexforge-load-", calls[2]);
        Assert.Contains($"GET /api/v1/namespaces/{Ns}/pods", calls);
        Assert.Equal(Agents, calls.Count(c => c.EndsWith("/log", StringComparison.Ordinal)));
        Assert.StartsWith($"DELETE {jobs}/indexforge-load-", calls[^2]);
        Assert.StartsWith($"DELETE /api/v1/namespaces/{Ns}/configmaps/indexforge-load-", calls[^1]);
        var configMap = _api.Requests.First(r => r.Method == "POST" && r.Path.EndsWith("/configmaps", StringComparison.Ordinal)).Json!;
        Assert.Equal("name: agents\n", configMap["data"]![LoadAgentConstants.ScenarioKey]!.GetValue<string>());
        var job = _api.Requests.First(r => r.Method == "POST" && r.Path == jobs).Json!;
        Assert.Equal(Agents, job["spec"]!["completions"]!.GetValue<int>());
        Assert.Contains($"--target-url={_targetUrl}", job["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.DoesNotContain(_api.Requests, r => r.Method != "GET" && !r.Path.Contains($"/namespaces/{Ns}/", StringComparison.Ordinal) && !r.Path.EndsWith($"/namespaces/{Ns}/configmaps", StringComparison.Ordinal) && r.Path != jobs);
        // Negative control: nothing is left behind.
        Assert.DoesNotContain(_api.Requests.Where(r => r.Method == "GET" && r.Path.StartsWith(jobs + "/", StringComparison.Ordinal)).Select(r => r.Path), _api.Exists);
    }

    [Fact]
    public async Task RunAsync_OneAgentFails_ErrorNamesItAndCleansUp()
    {
        ControlJobs(Outcome.OneFails);

        var e = await Assert.ThrowsAsync<TargetException>(() => new DistributedLoadEngine(Site, Options()).RunAsync(Plan(), null, CancellationToken.None));

        Assert.Contains("agent 1", e.Message);
        Assert.Contains("refused: the shared start", e.Message);
        Assert.Contains("no partial merge", e.Message);
        AssertCleanedUp();
    }

    [Fact]
    public async Task RunAsync_AgentMissing_ErrorNotPartialMerge()
    {
        ControlJobs(Outcome.OneMissing);

        var e = await Assert.ThrowsAsync<TargetException>(() => new DistributedLoadEngine(Site, Options()).RunAsync(Plan(), null, CancellationToken.None));

        Assert.Contains("agent 2 reported nothing", e.Message);
        AssertCleanedUp();
    }

    [Fact]
    public async Task RunAsync_Cancelled_DeletesJobAndConfigMap()
    {
        ControlJobs(Outcome.Never);
        using var cts = new CancellationTokenSource();
        var run = new DistributedLoadEngine(Site, Options()).RunAsync(Plan(_ => cts.CancelAfter(200)), null, cts.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        AssertCleanedUp();
    }

    [Fact]
    public async Task RunAsync_CredentialOrDirectPhase_RefusedBeforeAnythingIsCreated()
    {
        var withKey = Plan() with { Credential = () => "secret-value" };
        var e = await Assert.ThrowsAsync<TargetException>(() => new DistributedLoadEngine(Site, Options()).RunAsync(withKey, null, CancellationToken.None));
        Assert.Contains("caller credential", e.Message);
        Assert.DoesNotContain("secret-value", e.Message);
        var direct = Plan() with { Spec = Spec() with { Phases = [new ConstantArrivalRateOptions { Name = "base", Type = PhaseTypes.ConstantArrivalRate, Rate = 1, Duration = TimeSpan.FromSeconds(1), Route = Routes.Direct }] } };
        await Assert.ThrowsAsync<TargetException>(() => new DistributedLoadEngine(Site, Options()).RunAsync(direct, null, CancellationToken.None));
        Assert.Empty(_api.Mutations);
        // Negative control: the same plan without a credential is accepted (it reaches the API).
        Assert.Empty(DistributedLoadEngine.Refusals(Plan()));
    }

    private void AssertCleanedUp()
    {
        var created = _api.Requests.Where(r => r.Method == "POST").Select(r => r.Path).ToList();
        Assert.Equal(2, created.Count);
        var deletes = _api.Requests.Where(r => r.Method == "DELETE").ToList();
        Assert.Equal(2, deletes.Count);
        Assert.Contains(deletes, d => d.Path.Contains("/jobs/indexforge-load-", StringComparison.Ordinal));
        Assert.Contains(deletes, d => d.Path.Contains("/configmaps/indexforge-load-", StringComparison.Ordinal));
        Assert.All(deletes, d => Assert.False(_api.Exists(d.Path)));
    }
}
