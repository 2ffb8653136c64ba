using HdrHistogram;

namespace IndexForge.Resilience.Core.Load.Recording;

/// <summary>
/// An HdrHistogram with the layout of <see cref="LoadHistograms.Create"/> that stores only its
/// non-zero buckets. A dense 3-digit histogram up to 60 s is ~139 KB whatever it holds; a window of
/// loopback latencies touches a few hundred buckets. While it is being filled it keeps sorted
/// arrays; <see cref="Freeze"/> packs them into varints (index delta, count: ~2 bytes a bucket),
/// so a closed window costs a few KB and a long run's memory stays flat. Reads and merges stay
/// exact: same bucket layout, only stored sparsely. Like any HdrHistogram it is not safe to
/// modify while another thread reads it; concurrent reads are safe.
/// </summary>
public sealed class CompactHistogram : HistogramBase
{
    private int[] _indices = [];
    private long[] _counts = [];
    private int _length;
    private long _totalCount;
    private byte[]? _packed;
    // Readers walk indices in ascending order (percentiles, iteration, Add into a dense target);
    // remembering where the last lookup landed makes that walk linear.
    private int _cursor;

    [ThreadStatic]
    private static PackedCursor? t_cursor;

    public CompactHistogram()
        : base(LoadHistograms.LowestMicros, LoadHistograms.HighestMicros, LoadHistograms.SignificantDigits)
    {
    }

    /// <summary>Buckets holding at least one value.</summary>
    public int NonZeroBuckets => _length;

    public bool IsFrozen => _packed is not null;

    public override long TotalCount { get => _totalCount; protected set => _totalCount = value; }

    protected override int WordSizeInBytes => 8;

    protected override long MaxAllowableCount => long.MaxValue;

    public override int GetEstimatedFootprintInBytes() => 96 + (_packed?.Length ?? _indices.Length * (sizeof(int) + sizeof(long)));

    public override HistogramBase Copy()
    {
        var copy = new CompactHistogram { _length = _length, _totalCount = _totalCount };
        if (_packed is not null) copy._packed = _packed; // immutable once packed: shared safely
        else
        {
            copy._indices = _indices[.._length];
            copy._counts = _counts[.._length];
        }
        return copy;
    }

    /// <summary>Packs the buckets (the histogram is complete, e.g. a closed window); any later change unpacks it.</summary>
    public void Freeze()
    {
        if (_packed is not null) return;
        var buffer = new byte[_length * 12 + 1];
        var n = 0;
        var previous = 0;
        for (var i = 0; i < _length; i++)
        {
            n = WriteVarint(buffer, n, (ulong)(_indices[i] - previous));
            n = WriteVarint(buffer, n, (ulong)_counts[i]);
            previous = _indices[i];
        }
        _packed = buffer[..n];
        _indices = [];
        _counts = [];
        _cursor = 0;
    }

    /// <summary>
    /// Replaces the contents with <paramref name="dense"/>'s, packed at once: one exact-size array,
    /// none of the intermediate ones a bucket-by-bucket merge would grow (a closed window's path).
    /// </summary>
    internal void PackFrom(DenseHistogram dense, byte[] scratch)
    {
        var n = 0;
        var previous = 0;
        var length = 0;
        for (var i = 0; i < dense.Length; i++)
        {
            var count = dense.CountAt(i);
            if (count == 0) continue;
            n = WriteVarint(scratch, n, (ulong)(i - previous));
            n = WriteVarint(scratch, n, (ulong)count);
            previous = i;
            length++;
        }
        _packed = scratch[..n];
        _indices = [];
        _counts = [];
        _length = length;
        _totalCount = dense.TotalCount;
        _cursor = 0;
    }

    /// <summary>Room <see cref="PackFrom"/> needs for any histogram of the load layout.</summary>
    internal static byte[] PackScratch() => new byte[new DenseHistogram().Length * 12];

    public override void Add(HistogramBase fromHistogram)
    {
        if (fromHistogram is not CompactHistogram other)
        {
            base.Add(fromHistogram);
            return;
        }
        if (other._packed is null)
        {
            for (var i = 0; i < other._length; i++) AddToCountAtIndex(other._indices[i], other._counts[i]);
            return;
        }
        var reader = new PackedReader(other._packed);
        while (reader.Next(out var index, out var count)) AddToCountAtIndex(index, count);
    }

    protected override long GetCountAtIndex(int index)
    {
        if (_packed is not null) return PackedCount(index);
        var pos = Find(index);
        return pos >= 0 ? _counts[pos] : 0;
    }

    protected override void SetCountAtIndex(int index, long value)
    {
        Thaw();
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
        Thaw();
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
        _packed = null;
        _length = 0;
        _totalCount = 0;
        _cursor = 0;
    }

    protected override void CopyCountsInto(long[] target)
    {
        Array.Clear(target);
        if (_packed is not null)
        {
            var reader = new PackedReader(_packed);
            while (reader.Next(out var index, out var count) && index < target.Length) target[index] = count;
            return;
        }
        for (var i = 0; i < _length && _indices[i] < target.Length; i++) target[_indices[i]] = _counts[i];
    }

    private void Thaw()
    {
        if (_packed is null) return;
        var indices = new int[Math.Max(16, _length)];
        var counts = new long[indices.Length];
        var reader = new PackedReader(_packed);
        var i = 0;
        while (reader.Next(out var index, out var count))
        {
            indices[i] = index;
            counts[i++] = count;
        }
        _indices = indices;
        _counts = counts;
        _packed = null;
        _cursor = 0;
    }

    /// <summary>Count at an index of the packed form, walking forward from this thread's last position.</summary>
    private long PackedCount(int index)
    {
        var c = t_cursor ??= new PackedCursor();
        // The cursor sits on the first bucket at or after the last query; only a query at or
        // before the bucket it passed last needs a fresh walk.
        if (!ReferenceEquals(c.Owner, _packed) || index <= c.Before)
        {
            c.Owner = _packed;
            c.Reader = new PackedReader(_packed!);
            c.Before = -1;
            c.Index = -1;
            c.Count = 0;
        }
        while (c.Index < index)
        {
            c.Before = c.Index;
            if (!c.Reader.Next(out var i, out var count))
            {
                c.Index = int.MaxValue;
                break;
            }
            c.Index = i;
            c.Count = count;
        }
        return c.Index == index ? c.Count : 0;
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

    private static int WriteVarint(byte[] buffer, int n, ulong value)
    {
        while (value >= 0x80)
        {
            buffer[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        buffer[n++] = (byte)value;
        return n;
    }

    private struct PackedReader(byte[] packed)
    {
        private int _pos;
        private int _index;

        public bool Next(out int index, out long count)
        {
            if (_pos >= packed.Length)
            {
                index = 0;
                count = 0;
                return false;
            }
            _index += (int)ReadVarint();
            index = _index;
            count = (long)ReadVarint();
            return true;
        }

        private ulong ReadVarint()
        {
            ulong value = 0;
            var shift = 0;
            byte b;
            do
            {
                b = packed[_pos++];
                value |= (ulong)(b & 0x7F) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0);
            return value;
        }
    }

    private sealed class PackedCursor
    {
        public byte[]? Owner;
        public PackedReader Reader;
        public int Before;
        public int Index;
        public long Count;
    }
}

/// <summary>The dense layout of <see cref="LoadHistograms.Create"/>, with its counts readable by index.</summary>
internal sealed class DenseHistogram() : LongHistogram(LoadHistograms.LowestMicros, LoadHistograms.HighestMicros, LoadHistograms.SignificantDigits)
{
    /// <summary>Number of buckets (HdrHistogram's counts-array length: (buckets + 1) × half the sub-buckets).</summary>
    public int Length => (BucketCount + 1) * (SubBucketCount / 2);

    public long CountAt(int index) => GetCountAtIndex(index);
}
