using System.Net;
using IndexForge.Resilience.Core.Scenarios;
using IndexForge.Resilience.SampleService;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace IndexForge.Resilience.Embedded.Replicas;

/// <summary>
/// The sample-service replicas of one embedded environment: region r's replica i listens on
/// 127.0.r.i with an ephemeral port, so replicas are told apart by address and two runs never collide.
/// </summary>
public sealed class ReplicaSet : IAsyncDisposable
{
    private readonly Dictionary<string, SampleServiceHost> _hosts = new(StringComparer.Ordinal);

    private ReplicaSet() { }

    public IReadOnlyCollection<SampleServiceHost> Hosts => _hosts.Values;

    public SampleServiceHost this[string replicaId] =>
        _hosts.TryGetValue(replicaId, out var h) ? h : throw new KeyNotFoundException($"replica '{replicaId}' does not exist");

    public IEnumerable<SampleServiceHost> InRegion(string region) => _hosts.Values.Where(h => h.Region == region);
    public IEnumerable<SampleServiceHost> InZone(string zone) => _hosts.Values.Where(h => h.Zone == zone);

    /// <summary>The loopback address of a replica: 127.0.&lt;region index&gt;.&lt;replica index&gt;.</summary>
    public static IPAddress AddressOf(TopologySpec topology, ReplicaId replica)
    {
        var region = topology.Replicas.Keys.ToList().IndexOf(replica.Region) + 1;
        var index = int.Parse(replica.Id[(replica.Id.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return new IPAddress([127, 0, (byte)region, (byte)index]);
    }

    public static async Task<ReplicaSet> StartAsync(
        TopologySpec topology, int seed, TimeProvider time,
        Func<ReplicaId, Action<ListenOptions>?> listener,
        Func<ReplicaId, ICredentialValidator?> credentials,
        Func<ReplicaId, Func<Microsoft.AspNetCore.Http.HttpContext, Microsoft.AspNetCore.Http.RequestDelegate, Task>?> inbound,
        CancellationToken cancellationToken)
    {
        var set = new ReplicaSet();
        var index = DocumentIndex.WithSampleDocuments();
        try
        {
            var n = 0;
            foreach (var replica in topology.ReplicaIds())
            {
                var host = await SampleServiceHost.StartAsync(new SampleServiceOptions
                {
                    ReplicaId = replica.Id,
                    Region = replica.Region,
                    Zone = replica.Zone,
                    BindAddress = AddressOf(topology, replica),
                    ConfigureListener = listener(replica),
                    Credentials = credentials(replica),
                    Inbound = inbound(replica),
                    Seed = seed + ++n,
                    Time = time,
                    Index = index,
                }, cancellationToken);
                set._hosts[replica.Id] = host;
            }
            return set;
        }
        catch
        {
            await set.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts.Values) await host.DisposeAsync();
        _hosts.Clear();
    }
}
