using System.Globalization;
using IndexForge.Resilience.Core.Load;

namespace IndexForge.Resilience.Bench.Sections;

/// <summary>
/// Memory of a short and a long run at the same rate (1 and 5 minutes; quick mode 12 s and 60 s).
/// Peak RSS is the kernel's high-water mark (VmHWM), reset before each run through
/// /proc/self/clear_refs. Peak RSS also holds garbage the GC has not collected yet: here the gen0
/// budget is ~15-20 MB, so a short run may end without a single collection while a long one
/// carries a full budget; the GC count and the RSS after a full collection show which it was.
/// "Retained" is the managed heap the run's result still holds after a full GC.
/// </summary>
public sealed class MemorySection : IBenchSection
{
    public string Name => BenchSections.Memory;

    public string Title => "memory as duration grows (open model)";

    public async Task<IReadOnlyList<BenchGoal>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var o = context.Output;
        var options = context.Options;
        var (shortRun, longRun) = options.Quick ? (BenchConstants.QuickMemoryShort, BenchConstants.QuickMemoryLong) : (options.MemoryShort, options.MemoryLong);
        o.WriteLine($"  {ThroughputSection.Rate(options.MemoryRate)}, {options.Connections} connections, runs of {Span(shortRun)} and {Span(longRun)} in this process, short first");
        if (options.Quick) o.WriteLine($"  quick mode: {Span(shortRun)} and {Span(longRun)} instead of {Span(options.MemoryShort)} and {Span(options.MemoryLong)}");
        if (context.Target.InProcess) o.WriteLine("  note: the target runs in this process, so its memory is counted too");
        var canReset = ProcessMemory.CanResetPeak();
        if (!canReset) o.WriteLine("  note: /proc/self/clear_refs is not writable; peak RSS is the process's peak so far");
        o.WriteLine($"  {"run",8}{"requests",12}{"windows",9}{"GCs 0/1/2",11}{"peak RSS",11}{"peak heap",11}{"RSS after GC",14}{"retained",10}{"per window",12}");

        var results = new List<Sample>();
        foreach (var length in new[] { shortRun, longRun })
        {
            var sample = await MeasureAsync(context, length, cancellationToken);
            results.Add(sample);
            o.WriteLine($"  {Span(length),8}{sample.Requests,12:#,0}{sample.Windows,9}{sample.Collections,11}{Mb(sample.PeakRss),11}{Mb(sample.PeakHeap),11}{Mb(sample.RssAfterGc),14}{Mb(sample.Retained),10}{Kb(sample.Retained / Math.Max(1, sample.Windows)),12}");
        }
        var growth = (double)(results[1].PeakRss - results[0].PeakRss) / results[0].PeakRss;
        var heapGrowth = (double)(results[1].PeakHeap - results[0].PeakHeap) / results[0].PeakHeap;
        var liveGrowth = (double)(results[1].RssAfterGc - results[0].RssAfterGc) / results[0].RssAfterGc;
        o.WriteLine($"  growth {Span(shortRun)} → {Span(longRun)}: peak RSS {Pct(growth)}, peak managed heap {Pct(heapGrowth)}, RSS after a full GC {Pct(liveGrowth)}");
        return
        [
            new BenchGoal(Name, $"peak RSS growth < {BenchConstants.GoalMemoryGrowth:0%} from the {Span(shortRun)} to the {Span(longRun)} run",
                growth < BenchConstants.GoalMemoryGrowth,
                $"{Pct(growth)} ({Mb(results[0].PeakRss)} → {Mb(results[1].PeakRss)}; GCs {results[0].Collections} vs {results[1].Collections}; after a full GC {Pct(liveGrowth)})"),
        ];
    }

    private static async Task<Sample> MeasureAsync(BenchContext context, TimeSpan length, CancellationToken cancellationToken)
    {
        ProcessMemory.FullCollect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var gcs = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };
        ProcessMemory.ResetPeak();
        // Sampled once here and once after the run too, so a starved sampler (a busy machine) never reports 0.
        var peakHeap = GC.GetTotalMemory(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250), stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }, CancellationToken.None);
        var spec = EngineRuns.Open(context.Options.MemoryRate, context.Options.Connections, length);
        var run = await EngineRuns.RunAsync(spec, context.Target.Address, cancellationToken);
        await stop.CancelAsync();
        await sampler;
        peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
        var peakRss = ProcessMemory.PeakRss();
        var collections = $"{GC.CollectionCount(0) - gcs[0]}/{GC.CollectionCount(1) - gcs[1]}/{GC.CollectionCount(2) - gcs[2]}";
        ProcessMemory.FullCollect();
        var retained = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        var sample = new Sample(run.Summarize().Sent, run.Windows.Count, collections, peakRss, peakHeap, ProcessMemory.Rss(), retained);
        GC.KeepAlive(run);
        return sample;
    }

    private sealed record Sample(long Requests, int Windows, string Collections, long PeakRss, long PeakHeap, long RssAfterGc, long Retained);

    private static string Pct(double x) => SignedPercent.Format(x, 1);

    private static string Span(TimeSpan t) => t.TotalMinutes >= 1 && t.Seconds == 0 ? $"{t.TotalMinutes:0} min" : $"{t.TotalSeconds:0} s";

    internal static string Mb(long bytes) => (bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    private static string Kb(long bytes) => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB";
}

/// <summary>Linux process memory: peak RSS from /proc/self/status, reset through /proc/self/clear_refs.</summary>
internal static class ProcessMemory
{
    public static bool CanResetPeak()
    {
        try
        {
            ResetPeak();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Writing 5 to clear_refs resets the peak RSS to the current RSS (Linux 4.0+).</summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    public static long PeakRss() => StatusKb("VmHWM:") * 1024;

    public static long Rss() => StatusKb("VmRSS:") * 1024;

    public static void FullCollect()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    private static long StatusKb(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        return Environment.WorkingSet / 1024;
    }
}
