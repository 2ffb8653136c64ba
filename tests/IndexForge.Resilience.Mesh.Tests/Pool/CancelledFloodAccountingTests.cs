using IndexForge.Resilience.Mesh.Tests.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace IndexForge.Resilience.Mesh.Tests.Pool;

/// <summary>
/// Pool accounting after floods whose requests the caller cancels mid-flight: a one-connection pool must
/// come back with no pending or active request counted, and a lone request must be served at once.
/// </summary>
public sealed class CancelledFloodAccountingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task CancelledFloods_LeaveNoSlotCounted()
    {
        const string limits = """
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata: {name: search}
            spec:
              host: "*.indexforge.svc.cluster.local"
              trafficPolicy:
                connectionPool:
                  tcp: {maxConnections: 1}
                  http: {http1MaxPendingRequests: 4}
            """;
        await using var mesh = await MeshHarness.StartAsync(limits, 201, [("us-west", 1)]);
        mesh.Replicas[0].Delay = TimeSpan.FromMilliseconds(20);
        var r = mesh.Plane.Resources;
        for (var round = 0; round < 10; round++)
        {
            using var flood = new CancellationTokenSource(TimeSpan.FromMilliseconds(150 + round * 7));
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 100 };
            using var client = new HttpClient(handler) { BaseAddress = mesh.Plane.EntryPoint };
            var tasks = Enumerable.Range(0, 20).Select(async _ =>
            {
                while (!flood.IsCancellationRequested)
                {
                    try { using var resp = await client.GetAsync("/search?q=x", flood.Token); } catch { }
                }
            }).ToArray();
            await Task.WhenAll(tasks);
            await Task.Delay(300);
            output.WriteLine($"round {round}: cx={r.ActiveConnections} pending={r.PendingRequests} rq={r.ActiveRequests}");
            using var lone = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var started = DateTime.UtcNow;
            using var response = await mesh.Client.GetAsync("/search?q=lone", lone.Token);
            output.WriteLine($"  lone: {(int)response.StatusCode} in {(DateTime.UtcNow - started).TotalMilliseconds:0} ms");
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal(0, r.PendingRequests);
            Assert.Equal(0, r.ActiveRequests);
        }
    }
}
