using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Reports.Plots;
using IndexForge.Resilience.Reports.Tests.Fixtures;
using SkiaSharp;
using Xunit;

namespace IndexForge.Resilience.Reports.Tests.Plots;

public sealed class PlotRendererTests
{
    private static readonly IReadOnlyList<RenderedPlot> Plots = new PlotRenderer().Render(RecordedRun.Create());

    [Fact]
    public void Render_RecordedRun_ProducesEveryKindPerScenario()
    {
        var kinds = Plots.GroupBy(p => p.Scenario).ToDictionary(g => g.Key, g => g.Select(p => p.Kind).ToList());
        Assert.Equal([PlotKinds.Latency, PlotKinds.Throughput, PlotKinds.TrafficByReplica, PlotKinds.TrafficByRegion], kinds["outlier-ejection"]);
        Assert.Equal([PlotKinds.Latency, PlotKinds.Throughput, PlotKinds.TrafficByReplica, PlotKinds.TrafficByRegion, PlotKinds.Distributions], kinds["region-failover"]);
        Assert.Equal(Plots.Count, Plots.Select(p => p.FileName).Distinct().Count());
    }

    [Fact]
    public void Render_RecordedRun_PngsHaveTheSizeAndAreNotBlank()
    {
        foreach (var plot in Plots)
        {
            using var bitmap = SKBitmap.Decode(plot.Png);
            Assert.NotNull(bitmap);
            Assert.Equal(PlotConstants.Width, bitmap.Width);
            Assert.Equal(PlotConstants.Height, bitmap.Height);
            var stats = PixelStats.Of(bitmap);
            Assert.True(stats.Variance > 500, $"{plot.FileName}: pixel variance {stats.Variance:0} looks blank");
            Assert.True(stats.DistinctColors > 50, $"{plot.FileName}: only {stats.DistinctColors} colours");
        }
    }

    [Fact]
    public void Render_FaultWindow_ShadesTheTimeRange()
    {
        var run = RecordedRun.Create();
        var s = run.Scenarios[0];
        var withFault = new PlotRenderer().Render(s, 0).Single(p => p.Kind == PlotKinds.Latency);
        var withoutFault = new PlotRenderer().Render(s with { Faults = [], Events = [] }, 0).Single(p => p.Kind == PlotKinds.Latency);
        // Negative control: the same data without the fault must render differently (the shaded band is gone).
        Assert.NotEqual(PixelStats.Of(SKBitmap.Decode(withFault.Png)).Checksum, PixelStats.Of(SKBitmap.Decode(withoutFault.Png)).Checksum);
    }

    [Fact]
    public void PixelStats_BlankImage_HasNoVariance()
    {
        // Negative control for the non-blank check above.
        using var bitmap = new SKBitmap(PlotConstants.Width, PlotConstants.Height);
        bitmap.Erase(SKColors.White);
        var stats = PixelStats.Of(bitmap);
        Assert.Equal(0, stats.Variance);
        Assert.Equal(1, stats.DistinctColors);
    }

    [Fact]
    public void Render_ScenarioWithoutWindows_RendersNothing()
    {
        var s = RecordedRun.Create().Scenarios[0] with { Windows = [], Distributions = [] };
        Assert.Empty(new PlotRenderer().Render(s, 0));
    }

    [Fact]
    public void Write_PlotsWriter_WritesPngFiles()
    {
        using var dir = new TempDirectory();
        var files = new PlotsWriter().Write(RecordedRun.Create(), dir.Path);
        Assert.Equal(9, files.Count);
        Assert.All(files, f => Assert.True(new FileInfo(f).Length > 10_000, f));
        if (Environment.GetEnvironmentVariable("INDEXFORGE_KEEP_PLOTS") is { Length: > 0 } keep)
            foreach (var f in files) File.Copy(f, Path.Combine(keep, Path.GetFileName(f)), true);
    }
}

internal sealed record PixelStats(double Variance, int DistinctColors, long Checksum)
{
    public static PixelStats Of(SKBitmap bitmap)
    {
        double sum = 0, sumSq = 0;
        long checksum = 17;
        var colors = new HashSet<uint>();
        var n = 0;
        for (var y = 0; y < bitmap.Height; y++)
        for (var x = 0; x < bitmap.Width; x++)
        {
            var c = bitmap.GetPixel(x, y);
            var luma = 0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue;
            sum += luma;
            sumSq += luma * luma;
            n++;
            colors.Add((uint)c);
            checksum = unchecked(checksum * 31 + (uint)c);
        }
        var mean = sum / n;
        return new PixelStats(sumSq / n - mean * mean, colors.Count, checksum);
    }
}
