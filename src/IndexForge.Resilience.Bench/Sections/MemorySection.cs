using System.Globalization;
using IndexForge.Resilience.Core.Load;

namespace IndexForge.Resilience.Bench.Sections;

/// <summary>
/// Memory of a short and a long run at the same rate (1 and 5 minutes; quick mode 12 s and 60 s).
/// Peak RSS is the kernel's high-water mark (VmHWM), reset before each run through
/// /proc/self/clear_refs; "retained" is the managed heap the run's result still holds after a full GC.
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
        o.WriteLine($"  {"run",8}{"requests",12}{"windows",9}{"peak RSS",12}{"peak heap",12}{"retained",12}{"per window",12}");

        var results = new List<Sample>();
        foreach (var length in new[] { shortRun, longRun })
        {
            var sample = await MeasureAsync(context, length, cancellationToken);
            results.Add(sample);
            o.WriteLine($"  {Span(length),8}{sample.Requests,12:#,0}{sample.Windows,9}{Mb(sample.PeakRss),12}{Mb(sample.PeakHeap),12}{Mb(sample.Retained),12}{Kb(sample.Retained / Math.Max(1, sample.Windows)),12}");
        }
        var growth = (double)(results[1].PeakRss - results[0].PeakRss) / results[0].PeakRss;
        var heapGrowth = (double)(results[1].PeakHeap - results[0].PeakHeap) / results[0].PeakHeap;
        o.WriteLine($"  growth {Span(shortRun)} → {Span(longRun)}: peak RSS {growth.ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture)}, peak managed heap {heapGrowth.ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture)}");
        return
        [
            new BenchGoal(Name, $"peak RSS growth < {BenchConstants.GoalMemoryGrowth:0%} from the {Span(shortRun)} to the {Span(longRun)} run",
                growth < BenchConstants.GoalMemoryGrowth, $"{growth.ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture)} ({Mb(results[0].PeakRss)} → {Mb(results[1].PeakRss)})"),
        ];
    }

    private static async Task<Sample> MeasureAsync(BenchContext context, TimeSpan length, CancellationToken cancellationToken)
    {
        ProcessMemory.FullCollect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        ProcessMemory.ResetPeak();
        var peakHeap = 0L;
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
        var peakRss = ProcessMemory.PeakRss();
        ProcessMemory.FullCollect();
        var retained = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        var sample = new Sample(run.Summarize().Sent, run.Windows.Count, peakRss, peakHeap, retained);
        GC.KeepAlive(run);
        return sample;
    }

    private sealed record Sample(long Requests, int Windows, long PeakRss, long PeakHeap, long Retained);

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
