using System.Net;
using System.Net.Sockets;
using System.Text;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Load.ConstantArrivalRate;
using IndexForge.Resilience.Core.Load.Http;
using Xunit;

namespace IndexForge.Resilience.Core.Tests.Load.Http;

/// <summary>The HTTP/1.1 transport against hand-written servers: framing and connection reuse.</summary>
public sealed class Http1EdgeTests
{
    private static LoadPlan Plan(int connections = 1, string method = "GET", string? body = null) => new()
    {
        Spec = new LoadSpec
        {
            Requests = [new RequestSpec { Path = "/x?q=1", Method = method, Body = body }],
            Connections = connections,
            Phases = [new ConstantArrivalRateOptions { Name = "p", Rate = 1, Duration = TimeSpan.FromSeconds(1) }],
        },
        Resolve = _ => throw new NotSupportedException(),
    };

    /// <summary>Serves each accepted connection with <paramref name="serve"/>; records what it received.</summary>
    private sealed class RawServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public RawServer(Func<NetworkStream, int, Task> serve)
        {
            _listener.Start();
            _loop = Task.Run(async () =>
            {
                var n = 0;
                while (!_stop.IsCancellationRequested)
                {
                    TcpClient client;
                    try
                    {
                        client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    var index = Interlocked.Increment(ref n);
                    Interlocked.Increment(ref _connections);
                    _ = Task.Run(async () =>
                    {
                        using (client) await serve(client.GetStream(), index);
                    });
                }
            });
        }

        private int _connections;

        public int Connections => Volatile.Read(ref _connections);

        public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _loop;
        }
    }

    private static async Task<string> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new byte[8192];
        var text = new StringBuilder();
        while (!text.ToString().Contains("\r\n\r\n"))
        {
            var n = await stream.ReadAsync(buffer);
            if (n == 0) return text.ToString();
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        var s = text.ToString();
        var cl = s.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        if (cl is not null)
        {
            var need = int.Parse(cl.Split(':')[1].Trim()) - (s.Length - s.IndexOf("\r\n\r\n") - 4);
            while (need > 0)
            {
                var n = await stream.ReadAsync(buffer);
                text.Append(Encoding.ASCII.GetString(buffer, 0, n));
                need -= n;
            }
        }
        return text.ToString();
    }

    private static async Task<Core.Load.Recording.SendOutcome[]> SendAsync(Uri address, LoadPlan plan, int count)
    {
        await using var transport = new Http1Transport(new LoadEndpoint(address), plan);
        var outcomes = new Core.Load.Recording.SendOutcome[count];
        for (var i = 0; i < count; i++) outcomes[i] = await transport.SendAsync(0, 0, new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
        return outcomes;
    }

    [Fact]
    public async Task SendAsync_Http10BodyUntilClose_ReadsToTheEndAndReconnects()
    {
        await using var server = new RawServer(async (stream, _) =>
        {
            await ReadRequestAsync(stream);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.0 200 OK\r\n\r\nno length, ends with the connection"));
        });

        var outcomes = await SendAsync(server.Address, Plan(), 3);

        Assert.All(outcomes, o => Assert.Equal(200, o.Status));
        Assert.Equal(3, server.Connections);
    }

    [Fact]
    public async Task SendAsync_KeepAliveClosedByTheServerWhileIdle_RetriedOnANewConnection()
    {
        // Each connection answers one request, then closes without saying so (as an idle timeout does).
        await using var server = new RawServer(async (stream, _) =>
        {
            await ReadRequestAsync(stream);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
            await Task.Delay(50);
        });

        await using var transport = new Http1Transport(new LoadEndpoint(server.Address), Plan());
        var first = await transport.SendAsync(0, 0, CancellationToken.None);
        await Task.Delay(300);
        var second = await transport.SendAsync(0, 0, CancellationToken.None);

        Assert.Equal((200, 200), (first.Status, second.Status));
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task SendAsync_PostWithBodyAndCredential_WritesOneWellFormedRequest()
    {
        var seen = new List<string>();
        await using var server = new RawServer(async (stream, _) =>
        {
            while (await ReadRequestAsync(stream) is { Length: > 0 } request)
            {
                lock (seen) seen.Add(request);
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"));
            }
        });
        var plan = Plan(method: "POST", body: "{\"q\":\"vault\"}") with { Credential = () => "s3cr3t" };

        var outcomes = await SendAsync(server.Address, plan, 2);

        Assert.All(outcomes, o => Assert.Equal(201, o.Status));
        Assert.Equal(1, server.Connections);
        Assert.Equal(2, seen.Count);
        var request = Assert.Single(seen.Distinct());
        Assert.StartsWith($"POST /x?q=1 HTTP/1.1\r\nHost: 127.0.0.1:{server.Address.Port}\r\n", request);
        Assert.Contains("\r\nx-indexforge-api-key: s3cr3t\r\n", request);
        Assert.EndsWith("Content-Length: 13\r\nx-indexforge-api-key: s3cr3t\r\n\r\n{\"q\":\"vault\"}", request);
    }

    [Fact]
    public async Task SendAsync_GarbageInsteadOfHttp_Other()
    {
        await using var server = new RawServer(async (stream, _) =>
        {
            await ReadRequestAsync(stream);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH_9.2\r\n\r\n"));
        });

        var outcome = (await SendAsync(server.Address, Plan(), 1))[0];

        Assert.Equal(ErrorClass.Other, outcome.Error);
    }

    [Fact]
    public async Task SendAsync_ClosedMidResponse_ConnectionReset()
    {
        await using var server = new RawServer(async (stream, _) =>
        {
            await ReadRequestAsync(stream);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part"));
        });

        var outcome = (await SendAsync(server.Address, Plan(), 1))[0];

        Assert.Equal(ErrorClass.ConnectionReset, outcome.Error);
    }
}
