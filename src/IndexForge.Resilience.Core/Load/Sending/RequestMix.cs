namespace IndexForge.Resilience.Core.Load.Sending;

/// <summary>The weighted request mix: draws an index into <see cref="LoadSpec.Requests"/>.</summary>
internal sealed class RequestMix
{
    private readonly long[] _cumulative;

    public RequestMix(IReadOnlyList<RequestSpec> requests)
    {
        _cumulative = new long[requests.Count];
        long total = 0;
        for (var i = 0; i < requests.Count; i++)
        {
            total += requests[i].Weight;
            _cumulative[i] = total;
        }
        Total = total;
    }

    public long Total { get; }

    public int Count => _cumulative.Length;

    public int Next(Random random)
    {
        if (_cumulative.Length == 1) return 0;
        var draw = random.NextInt64(Total);
        var pos = Array.BinarySearch(_cumulative, draw + 1);
        return pos >= 0 ? pos : ~pos;
    }
}
