using HdrHistogram;

namespace IndexForge.Resilience.Core.Load.Recording;

/// <summary>
/// An HdrHistogram with the layout of <see cref="LoadHistograms.Create"/> that stores only its
/// non-zero buckets, sorted by index. A dense 3-digit histogram up to 60 s is ~139 KB whatever it
/// holds; a window of loopback latencies touches a few hundred buckets, so keeping one dense
/// histogram per window would make memory grow by ~0.4 MB per second of run. Reads and merges
/// stay exact: this is the same bucket layout, only stored sparsely.
/// </summary>
public sealed class CompactHistogram : HistogramBase
{
    private int[] _indices = [];
    private long[] _counts = [];
    private int _length;
    private long _totalCount;
    // Readers walk indices in ascending order (percentiles, iteration, Add into a dense target);
    // remembering where the last lookup landed makes that walk linear instead of n·log n.
    private int _cursor;

    public CompactHistogram()
        : base(LoadHistograms.LowestMicros, LoadHistograms.HighestMicros, LoadHistograms.SignificantDigits)
    {
    }

    /// <summary>Buckets holding at least one value.</summary>
    public int NonZeroBuckets => _length;

    public override long TotalCount { get => _totalCount; protected set => _totalCount = value; }

    protected override int WordSizeInBytes => 8;

    protected override long MaxAllowableCount => long.MaxValue;

    public override int GetEstimatedFootprintInBytes() => 64 + _indices.Length * (sizeof(int) + sizeof(long));

    public override HistogramBase Copy()
    {
        var copy = new CompactHistogram();
        copy._indices = _indices[.._length];
        copy._counts = _counts[.._length];
        copy._length = _length;
        copy._totalCount = _totalCount;
        return copy;
    }

    /// <summary>Trims spare capacity once the histogram is complete (a closed window).</summary>
    public void TrimExcess()
    {
        if (_indices.Length == _length) return;
        _indices = _indices[.._length];
        _counts = _counts[.._length];
        _cursor = 0;
    }

    public override void Add(HistogramBase fromHistogram)
    {
        if (fromHistogram is CompactHistogram other)
        {
            for (var i = 0; i < other._length; i++) AddToCountAtIndex(other._indices[i], other._counts[i]);
            return;
        }
        base.Add(fromHistogram);
    }

    protected override long GetCountAtIndex(int index)
    {
        var pos = Find(index);
        return pos >= 0 ? _counts[pos] : 0;
    }

    protected override void SetCountAtIndex(int index, long value)
    {
        var pos = Find(index);
        if (pos >= 0)
        {
            _counts[pos] = value;
            return;
        }
        if (value != 0) Insert(~pos, index, value);
    }

    protected override void IncrementCountAtIndex(int index) => AddToCountAtIndex(index, 1);

    protected override void AddToCountAtIndex(int index, long addend)
    {
        if (addend == 0) return;
        _totalCount += addend;
        // Merges walk source indices in ascending order, so appending is the common case.
        if (_length == 0 || _indices[_length - 1] < index)
        {
            Insert(_length, index, addend);
            return;
        }
        var pos = Find(index);
        if (pos >= 0) _counts[pos] += addend;
        else Insert(~pos, index, addend);
    }

    protected override void ClearCounts()
    {
        _length = 0;
        _totalCount = 0;
        _cursor = 0;
    }

    protected override void CopyCountsInto(long[] target)
    {
        Array.Clear(target);
        for (var i = 0; i < _length && _indices[i] < target.Length; i++) target[_indices[i]] = _counts[i];
    }

    /// <summary>Position of <paramref name="index"/>, or the bitwise complement of where it would go.</summary>
    private int Find(int index)
    {
        var c = _cursor;
        if (c < _length)
        {
            if (_indices[c] == index) return c;
            if (_indices[c] < index && (c + 1 == _length || _indices[c + 1] >= index))
            {
                if (c + 1 < _length && _indices[c + 1] == index)
                {
                    _cursor = c + 1;
                    return c + 1;
                }
                return ~(c + 1);
            }
        }
        var pos = Array.BinarySearch(_indices, 0, _length, index);
        if (pos >= 0) _cursor = pos;
        return pos;
    }

    private void Insert(int pos, int index, long count)
    {
        if (_length == _indices.Length)
        {
            var capacity = Math.Max(16, _length * 2);
            Array.Resize(ref _indices, capacity);
            Array.Resize(ref _counts, capacity);
        }
        if (pos < _length)
        {
            Array.Copy(_indices, pos, _indices, pos + 1, _length - pos);
            Array.Copy(_counts, pos, _counts, pos + 1, _length - pos);
        }
        _indices[pos] = index;
        _counts[pos] = count;
        _length++;
        _cursor = pos;
    }
}
