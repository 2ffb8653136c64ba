using System.Buffers.Text;

namespace IndexForge.Resilience.Core.Load.Http;

/// <summary>What the load engine needs from an HTTP/1.x response head.</summary>
internal struct Http1Head
{
    public int Status;
    /// <summary>-1 when the response has no Content-Length.</summary>
    public long ContentLength;
    public bool Chunked;
    /// <summary>The server will close the connection after this response.</summary>
    public bool Close;
    public bool EnvoyOverloaded;
    /// <summary>Where the replica and region header values sit in the parsed block (length 0 when absent).</summary>
    public Range Replica;
    public Range Region;
}

/// <summary>
/// A strict, allocation-free parser of HTTP/1.x response heads and chunked bodies: just enough
/// HTTP for a load generator (RFC 9112 framing), nothing it would have to keep per request.
/// </summary>
internal static class Http1Parser
{
    public const int Incomplete = -1;
    public const int Malformed = -2;

    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    /// <summary>
    /// Parses the head at the start of <paramref name="data"/>; returns its length including the
    /// blank line, <see cref="Incomplete"/> or <see cref="Malformed"/>.
    /// </summary>
    public static int ParseHead(ReadOnlySpan<byte> data, out Http1Head head)
    {
        head = default;
        head.ContentLength = -1;
        var end = data.IndexOf(HeadEnd);
        if (end < 0) return Incomplete;
        var block = data[..(end + 2)];
        var lineEnd = block.IndexOf("\r\n"u8);
        var statusLine = block[..lineEnd];
        // "HTTP/1.1 200 OK": version, space, three digits.
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1."u8) || statusLine[8] != ' ') return Malformed;
        if (!Utf8Parser.TryParse(statusLine.Slice(9, 3), out int status, out var used) || used != 3 || status < 100) return Malformed;
        head.Status = status;
        var http10 = statusLine[7] == '0';
        head.Close = http10;
        var offset = lineEnd + 2;
        while (offset < block.Length)
        {
            var line = block[offset..];
            var length = line.IndexOf("\r\n"u8);
            line = line[..length];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0) return Malformed;
            var name = line[..colon];
            var valueStart = colon + 1;
            while (valueStart < line.Length && line[valueStart] is (byte)' ' or (byte)'\t') valueStart++;
            var valueEnd = line.Length;
            while (valueEnd > valueStart && line[valueEnd - 1] is (byte)' ' or (byte)'\t') valueEnd--;
            var value = line[valueStart..valueEnd];
            if (Is(name, "content-length"u8))
            {
                if (!Utf8Parser.TryParse(value, out long cl, out var n) || n != value.Length || cl < 0) return Malformed;
                head.ContentLength = cl;
            }
            else if (Is(name, "transfer-encoding"u8))
            {
                head.Chunked = EndsWithToken(value, "chunked"u8);
            }
            else if (Is(name, "connection"u8))
            {
                if (Contains(value, "close"u8)) head.Close = true;
                else if (http10 && Contains(value, "keep-alive"u8)) head.Close = false;
            }
            else if (Is(name, "x-indexforge-replica"u8))
            {
                head.Replica = new Range(offset + valueStart, offset + valueEnd);
            }
            else if (Is(name, "x-indexforge-region"u8))
            {
                head.Region = new Range(offset + valueStart, offset + valueEnd);
            }
            else if (Is(name, "x-envoy-overloaded"u8))
            {
                head.EnvoyOverloaded = true;
            }
            offset += length + 2;
        }
        return end + 4;
    }

    /// <summary>True when the response to <paramref name="head"/> carries no body whatever its headers say.</summary>
    public static bool HasNoBody(in Http1Head head, bool headRequest) =>
        headRequest || head.Status is (>= 100 and < 200) or 204 or 304;

    private static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> lower)
    {
        if (name.Length != lower.Length) return false;
        for (var i = 0; i < name.Length; i++)
        {
            if ((name[i] | 0x20) != lower[i] && !(lower[i] == '-' && name[i] == '-')) return false;
        }
        return true;
    }

    private static bool Contains(ReadOnlySpan<byte> value, ReadOnlySpan<byte> lowerToken)
    {
        for (var i = 0; i + lowerToken.Length <= value.Length; i++)
        {
            if (Is(value.Slice(i, lowerToken.Length), lowerToken)) return true;
        }
        return false;
    }

    private static bool EndsWithToken(ReadOnlySpan<byte> value, ReadOnlySpan<byte> lowerToken) =>
        value.Length >= lowerToken.Length && Is(value[^lowerToken.Length..], lowerToken);
}

/// <summary>Walks a chunked body as it arrives, across any split of the bytes into reads.</summary>
internal struct ChunkedDecoder
{
    private enum Phase { Size, Extension, SizeLf, Data, DataCr, DataLf, Trailer, TrailerLf, Done }

    private Phase _phase;
    private long _remaining;
    private bool _sizeDigits;
    private int _trailerLineLength;

    public readonly bool Done => _phase == Phase.Done;

    /// <summary>Consumes what it can of <paramref name="data"/>; returns bytes consumed, or -1 when malformed.</summary>
    public int Consume(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i < data.Length && _phase != Phase.Done)
        {
            var b = data[i];
            switch (_phase)
            {
                case Phase.Size:
                    var digit = HexValue(b);
                    if (digit >= 0)
                    {
                        if (_remaining > (long.MaxValue >> 4)) return -1;
                        _remaining = (_remaining << 4) | (uint)digit;
                        _sizeDigits = true;
                    }
                    else if (b == ';' && _sizeDigits) _phase = Phase.Extension;
                    else if (b == '\r' && _sizeDigits) _phase = Phase.SizeLf;
                    else return -1;
                    i++;
                    break;
                case Phase.Extension:
                    if (b == '\r') _phase = Phase.SizeLf;
                    i++;
                    break;
                case Phase.SizeLf:
                    if (b != '\n') return -1;
                    i++;
                    _sizeDigits = false;
                    _trailerLineLength = 0;
                    _phase = _remaining == 0 ? Phase.Trailer : Phase.Data;
                    break;
                case Phase.Data:
                    var take = (int)Math.Min(_remaining, data.Length - i);
                    i += take;
                    _remaining -= take;
                    if (_remaining == 0) _phase = Phase.DataCr;
                    break;
                case Phase.DataCr:
                    if (b != '\r') return -1;
                    i++;
                    _phase = Phase.DataLf;
                    break;
                case Phase.DataLf:
                    if (b != '\n') return -1;
                    i++;
                    _phase = Phase.Size;
                    break;
                case Phase.Trailer:
                    // Trailer fields until an empty line.
                    if (b == '\r') _phase = Phase.TrailerLf;
                    else _trailerLineLength++;
                    i++;
                    break;
                case Phase.TrailerLf:
                    if (b != '\n') return -1;
                    i++;
                    if (_trailerLineLength == 0) _phase = Phase.Done;
                    else
                    {
                        _trailerLineLength = 0;
                        _phase = Phase.Trailer;
                    }
                    break;
            }
        }
        return i;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
