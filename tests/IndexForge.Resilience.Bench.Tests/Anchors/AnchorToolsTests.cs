using IndexForge.Resilience.Bench.Anchors;
using Xunit;

namespace IndexForge.Resilience.Bench.Tests.Anchors;

public sealed class AnchorToolsTests
{
    private const string WrkOutput = """
        Running 10s test @ http://127.0.0.1:38517/
          2 threads and 64 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency     1.05ms  512.33us  14.02ms   87.12%
            Req/Sec    30.12k     2.01k   35.77k    71.00%
          602345 requests in 10.00s, 93.75MB read
          Non-2xx or 3xx responses: 12
          Socket errors: connect 0, read 3, write 0, timeout 1
        Requests/sec:  60220.45
        Transfer/sec:      9.37MB
        """;

    private const string HeyOutput = """

        Summary:
          Total:	10.0030 secs
          Slowest:	0.0213 secs
          Fastest:	0.0001 secs
          Average:	0.0021 secs
          Requests/sec:	30123.4567


        Status code distribution:
          [200]	301230 responses
          [503]	4 responses

        Error distribution:
          [2]	Get "http://127.0.0.1:38517/": dial tcp 127.0.0.1:38517: connect: connection refused
        """;

    [Fact]
    public void ParseWrk_Summary_ReadsRateRequestsAndEveryError()
    {
        var r = AnchorTools.ParseWrk(WrkOutput);

        Assert.Equal(60220.45, r.RequestsPerSecond);
        Assert.Equal(602345, r.Requests);
        Assert.Equal(12 + 3 + 1, r.Errors);
    }

    [Fact]
    public void ParseHey_Summary_ReadsRateAndCountsNon2xxAndTransportErrors()
    {
        var r = AnchorTools.ParseHey(HeyOutput);

        Assert.Equal(30123.4567, r.RequestsPerSecond);
        Assert.Equal(4 + 2, r.Errors);
        Assert.Equal(301230 + 4 + 2, r.Requests);
    }

    [Fact]
    public void ParseWrk_OutputWithoutARate_FailsLoudlyInsteadOfReportingZero()
    {
        Assert.Throws<FormatException>(() => AnchorTools.ParseWrk("unable to connect to 127.0.0.1:1 Connection refused"));
    }

    [Fact]
    public void Arguments_SameConnectionsAndDurationForBothTools()
    {
        var target = new Uri("http://127.0.0.1:1234/");

        var wrk = AnchorTools.Arguments(AnchorTools.Wrk, target, 64, TimeSpan.FromSeconds(10));
        var hey = AnchorTools.Arguments(AnchorTools.Hey, target, 64, TimeSpan.FromSeconds(10));

        Assert.Equal(["-c", "64", "-d", "10s", "http://127.0.0.1:1234/"], wrk.Skip(2));
        Assert.Equal(["-z", "10s", "-c", "64"], hey.Take(4));
        Assert.Equal(Math.Min(Environment.ProcessorCount, 64).ToString(), wrk[1]);
    }
}
