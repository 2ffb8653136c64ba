using System.Net.Sockets;
using IndexForge.Resilience.Bench.Anchors;
using IndexForge.Resilience.Bench.Targets;
using IndexForge.Resilience.Testing;
using Xunit;

namespace IndexForge.Resilience.Bench.Tests.Targets;

public sealed class NginxTargetTests
{
    private static IEnumerable<int> ChildrenOf(int pid) =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => int.TryParse(n, out _)).Select(int.Parse!)
            .Where(p =>
            {
                try
                {
                    var stat = File.ReadAllText($"/proc/{p}/stat");
                    return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]) == pid;
                }
                catch (IOException)
                {
                    return false;
                }
            });

    [RequiresToolFact("nginx")]
    public async Task StartAsync_OwnConfig_ServesTheBodyThenStopsWithItsWorkers()
    {
        var target = await NginxTarget.StartAsync(new ToolLocator().Find("nginx")!, CancellationToken.None);
        var workers = ChildrenOf(target.Pid).ToList();
        using var client = new HttpClient();

        var body = await client.GetStringAsync(target.Address);
        await target.DisposeAsync();

        Assert.Equal(BenchConstants.Body, body);
        Assert.Equal(Environment.ProcessorCount, workers.Count);
        Assert.All(workers, w => Assert.False(Directory.Exists($"/proc/{w}"), $"worker {w} still running"));
        using var probe = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(target.Address.Host, target.Address.Port));
    }

    [Fact]
    public void Config_BindsLoopbackOnlyAndServesTwoBytes()
    {
        var config = NginxTarget.Config("/tmp/x", 4321);

        Assert.Contains("listen 127.0.0.1:4321", config);
        Assert.Contains("return 200 \"ok\"", config);
        Assert.Contains("access_log off", config);
    }
}
