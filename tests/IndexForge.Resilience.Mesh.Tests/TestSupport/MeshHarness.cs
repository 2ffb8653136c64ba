using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Mesh.Config;
using IndexForge.Resilience.Mesh.Security;

namespace IndexForge.Resilience.Mesh.Tests.TestSupport;

/// <summary>Replicas on 127.0.0.x behind STRICT inbound sidecars, and the data plane in front of them, from Istio YAML.</summary>
public sealed class MeshHarness : IAsyncDisposable
{
    private MeshHarness(MeshCertificateAuthority ca, IReadOnlyList<TestReplica> replicas, MeshDataPlane plane, List<TargetEvent> events)
    {
        Ca = ca;
        Replicas = replicas;
        Plane = plane;
        Events = events;
        Client = new HttpClient { BaseAddress = plane.EntryPoint, Timeout = TimeSpan.FromSeconds(30) };
    }

    public MeshCertificateAuthority Ca { get; }
    public IReadOnlyList<TestReplica> Replicas { get; }
    public MeshDataPlane Plane { get; }
    public List<TargetEvent> Events { get; }
    public HttpClient Client { get; }

    public TestReplica this[string id] => Replicas.Single(r => r.Id == id);

    /// <summary>Starts replicas named region-n (n from 1) on 127.0.0.&lt;ipBase+i&gt; and a data plane configured by <paramref name="yaml"/>.</summary>
    public static async Task<MeshHarness> StartAsync(string yaml, int ipBase, (string Region, int Count)[] topology,
        Func<MeshDataPlaneOptions, MeshDataPlaneOptions>? configure = null)
    {
        var ca = MeshCertificateAuthority.Create();
        var config = yaml.Length == 0 ? MeshConfig.Empty : IstioConfigLoader.Load([("test.yaml", yaml)]);
        var replicas = new List<TestReplica>();
        var endpoints = new List<MeshEndpoint>();
        var ip = ipBase;
        foreach (var (region, count) in topology)
        {
            for (var n = 1; n <= count; n++)
            {
                var replica = await TestReplica.StartAsync($"{region}-{n}", $"127.0.0.{ip++}", ca, config);
                replicas.Add(replica);
                endpoints.Add(replica.Endpoint(region, $"{region}-1{(char)('a' + n - 1)}"));
            }
        }
        var events = new List<TargetEvent>();
        var options = new MeshDataPlaneOptions
        {
            Config = config, Endpoints = endpoints, Ca = ca, Seed = 7,
            OnEvent = e => { lock (events) events.Add(e); },
        };
        var plane = await MeshDataPlane.StartAsync(configure?.Invoke(options) ?? options, CancellationToken.None);
        return new MeshHarness(ca, replicas, plane, events);
    }

    /// <summary>Sends <paramref name="count"/> requests one after another; returns the status codes.</summary>
    public async Task<int[]> SendAsync(int count, string path = "/search?q=x")
    {
        var codes = new int[count];
        for (var i = 0; i < count; i++)
        {
            using var response = await Client.GetAsync(path);
            codes[i] = (int)response.StatusCode;
        }
        return codes;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Plane.DisposeAsync();
        foreach (var r in Replicas) await r.DisposeAsync();
        Ca.Dispose();
    }
}
