using System.Text;
using IndexForge.Resilience.Core.Load.Http;
using Xunit;

namespace IndexForge.Resilience.Core.Tests.Load.Http;

public sealed class Http1ParserTests
{
    private static byte[] Bytes(string s) => Encoding.ASCII.GetBytes(s);

    [Fact]
    public void ParseHead_ReplicaResponse_ReadsStatusLengthAndLabelsCaseInsensitively()
    {
        var data = Bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-IndexForge-Replica:  search-3 \r\nx-indexforge-region: eu-west\r\n\r\nok");

        var length = Http1Parser.ParseHead(data, out var head);

        Assert.Equal(data.Length - 2, length);
        Assert.Equal(200, head.Status);
        Assert.Equal(2, head.ContentLength);
        Assert.False(head.Chunked || head.Close || head.EnvoyOverloaded);
        Assert.Equal("search-3", Encoding.ASCII.GetString(data[head.Replica]));
        Assert.Equal("eu-west", Encoding.ASCII.GetString(data[head.Region]));
    }

    [Fact]
    public void ParseHead_MeshOverflow_SeesTheEnvoyHeader()
    {
        Http1Parser.ParseHead(Bytes("HTTP/1.1 503 Service Unavailable\r\nx-envoy-overloaded: true\r\ncontent-length: 0\r\n\r\n"), out var head);

        Assert.Equal(503, head.Status);
        Assert.True(head.EnvoyOverloaded);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", true)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n\r\n", false)]
    [InlineData("HTTP/1.0 200 OK\r\n\r\n", true)]
    [InlineData("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\n\r\n", false)]
    public void ParseHead_ConnectionSemantics_OfHttp10And11(string response, bool close)
    {
        Http1Parser.ParseHead(Bytes(response), out var head);

        Assert.Equal(close, head.Close);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Le")]
    [InlineData("HTTP/1.1 200 OK\r\n")]
    [InlineData("")]
    public void ParseHead_HeadNotComplete_Incomplete(string partial)
    {
        Assert.Equal(Http1Parser.Incomplete, Http1Parser.ParseHead(Bytes(partial), out _));
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH\r\n\r\n")]
    [InlineData("HTTP/1.1 2x0 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\n")]
    public void ParseHead_NotHttp_Malformed(string response)
    {
        Assert.Equal(Http1Parser.Malformed, Http1Parser.ParseHead(Bytes(response), out _));
    }

    [Fact]
    public void Consume_ChunkedBodySplitAtEveryByte_EndsExactlyAfterTheTrailer()
    {
        var body = Bytes("4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\nNEXT");
        var decoder = new ChunkedDecoder();
        var consumed = 0;

        while (!decoder.Done) consumed += decoder.Consume(body.AsSpan(consumed, 1));

        Assert.Equal(body.Length - "NEXT".Length, consumed);
    }

    [Fact]
    public void Consume_WholeBodyAtOnce_LeavesTheNextResponseUntouched()
    {
        var body = Bytes("2\r\nok\r\n0\r\n\r\nHTTP/1.1 200 OK");
        var decoder = new ChunkedDecoder();

        var consumed = decoder.Consume(body);

        Assert.True(decoder.Done);
        Assert.Equal(12, consumed);
    }

    [Theory]
    [InlineData("zz\r\n")]
    [InlineData("2\r\nokX\r\n")]
    [InlineData("\r\n")]
    public void Consume_BrokenFraming_Malformed(string body)
    {
        var decoder = new ChunkedDecoder();

        Assert.Equal(-1, decoder.Consume(Bytes(body)));
    }
}
