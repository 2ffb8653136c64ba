using HdrHistogram;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Load.Recording;
using Xunit;

namespace IndexForge.Resilience.Core.Tests.Load.Recording;

public sealed class CompactHistogramTests
{
    private static (HistogramBase Dense, CompactHistogram Compact) Fill(int seed, int count)
    {
        var random = new Random(seed);
        var dense = LoadHistograms.Create();
        var compact = new CompactHistogram();
        for (var i = 0; i < count; i++)
        {
            // Mostly sub-millisecond, a long tail up to seconds, like a loopback target under faults.
            var value = random.NextDouble() < 0.95 ? random.Next(50, 900) : random.Next(1_000, 3_000_000);
            dense.RecordValue(value);
            compact.RecordValue(value);
        }
        return (dense, compact);
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(50.0, false)]
    [InlineData(99.99, false)]
    [InlineData(0.0, true)]
    [InlineData(50.0, true)]
    [InlineData(90.0, true)]
    [InlineData(99.0, true)]
    [InlineData(99.99, true)]
    [InlineData(100.0, true)]
    public void GetValueAtPercentile_SameValuesAsDense_SameAnswerPackedOrNot(double percentile, bool frozen)
    {
        var (dense, compact) = Fill(1, 20_000);
        if (frozen) compact.Freeze();

        Assert.Equal(frozen, compact.IsFrozen);
        Assert.Equal(dense.TotalCount, compact.TotalCount);
        Assert.Equal(dense.GetValueAtPercentile(percentile), compact.GetValueAtPercentile(percentile));
        Assert.Equal(dense.GetMaxValue(), compact.GetMaxValue());
        Assert.Equal(dense.GetMean(), compact.GetMean(), 9);
    }

    [Fact]
    public void Freeze_ThenRecordMore_UnpacksAndStaysExact()
    {
        var (dense, compact) = Fill(6, 3_000);
        compact.Freeze();

        compact.RecordValue(777_777);
        dense.RecordValue(777_777);

        Assert.False(compact.IsFrozen);
        Assert.Equal(dense.GetValueAtPercentile(99.99), compact.GetValueAtPercentile(99.99));
        Assert.Equal(dense.TotalCount, compact.TotalCount);
    }

    [Fact]
    public void GetValueAtPercentile_FrozenReadFromManyThreads_EveryReaderAgrees()
    {
        var (dense, compact) = Fill(7, 10_000);
        compact.Freeze();
        var expected = new[] { 25.0, 50, 75, 99, 99.9 }.Select(dense.GetValueAtPercentile).ToArray();

        var results = new long[8][];
        Parallel.For(0, 8, t =>
        {
            for (var round = 0; round < 50; round++) results[t] = [.. new[] { 25.0, 50, 75, 99, 99.9 }.Select(compact.GetValueAtPercentile)];
        });

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(50.0)]
    [InlineData(90.0)]
    [InlineData(99.0)]
    [InlineData(99.99)]
    [InlineData(100.0)]
    public void GetValueAtPercentile_SameValuesAsDense_SameAnswer(double percentile)
    {
        var (dense, compact) = Fill(1, 20_000);

        Assert.Equal(dense.TotalCount, compact.TotalCount);
        Assert.Equal(dense.GetValueAtPercentile(percentile), compact.GetValueAtPercentile(percentile));
        Assert.Equal(dense.GetMaxValue(), compact.GetMaxValue());
        Assert.Equal(dense.GetMean(), compact.GetMean(), 9);
    }

    [Fact]
    public void Add_CompactIntoDenseAndDenseIntoCompact_MergesExactly()
    {
        var (denseA, compactA) = Fill(2, 5_000);
        var (denseB, compactB) = Fill(3, 5_000);
        var expected = LoadHistograms.Create();
        expected.Add(denseA);
        expected.Add(denseB);

        var intoDense = LoadHistograms.Create();
        intoDense.Add(compactA);
        intoDense.Add(compactB);
        var intoCompact = new CompactHistogram();
        intoCompact.Add(denseA);
        compactB.Freeze();
        intoCompact.Add(compactB);

        foreach (var p in new[] { 10.0, 50, 95, 99.9, 100 })
        {
            Assert.Equal(expected.GetValueAtPercentile(p), intoDense.GetValueAtPercentile(p));
            Assert.Equal(expected.GetValueAtPercentile(p), intoCompact.GetValueAtPercentile(p));
        }
        Assert.Equal(10_000, intoCompact.TotalCount);
        Assert.Equal(expected.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)),
            intoCompact.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)));
    }

    [Fact]
    public void Footprint_TypicalWindow_IsAFractionOfADenseHistogram()
    {
        var (dense, compact) = Fill(4, 2_000);
        compact.Freeze();

        // ~2 bytes a bucket once packed, against 8 bytes for every possible bucket when dense.
        Assert.True(compact.GetEstimatedFootprintInBytes() * 30 < dense.GetEstimatedFootprintInBytes(),
            $"compact {compact.GetEstimatedFootprintInBytes()} B vs dense {dense.GetEstimatedFootprintInBytes()} B");
    }

    [Fact]
    public void PackFrom_DenseWindowMerge_EqualsTheDenseHistogramBucketForBucket()
    {
        var (dense, _) = Fill(8, 8_000);
        var scratch = new DenseHistogram();
        scratch.Add(dense);
        var packed = new CompactHistogram();

        packed.PackFrom(scratch, CompactHistogram.PackScratch());

        Assert.True(packed.IsFrozen);
        Assert.Equal(LoadHistograms.Create().BucketCount, scratch.BucketCount);
        Assert.Equal(dense.TotalCount, packed.TotalCount);
        Assert.Equal(dense.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)),
            packed.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)));
    }

    [Fact]
    public void CopyAndReset_BehaveLikeAnyHistogram()
    {
        var (_, compact) = Fill(5, 1_000);

        var copy = compact.Copy();
        compact.Reset();

        Assert.Equal(0, compact.TotalCount);
        Assert.Equal(0, compact.NonZeroBuckets);
        Assert.Equal(1_000, copy.TotalCount);
        compact.RecordValue(42);
        Assert.Equal(42, compact.GetValueAtPercentile(100));
    }
}
