using System.Globalization;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Core.Assertions;

/// <summary>Small helpers the evaluators share: formatting, counter deltas, result shells.</summary>
internal static class Evidence
{
    /// <summary>
    /// The saturated-generator rule every latency assertion follows: a saturated generator's latency
    /// includes its own delay, so a pass still bounds the target's latency from above, but a failure
    /// says nothing about the target — unless the same check also fails on latency from the actual
    /// sends. True when <paramref name="holdsFromActualSend"/> shows the generator explains the failure;
    /// the verdict is then an error with <see cref="GeneratorBoundMessage"/>.
    /// </summary>
    public static bool GeneratorBound(AssertionContext context, Verdict verdict, Func<bool> holdsFromActualSend) =>
        verdict == Verdict.Fail && context.Load.Saturated && holdsFromActualSend();

    public static string GeneratorBoundMessage(AssertionContext context, string detail) =>
        $"load generator saturated ({context.Load.SaturationReason}): {detail}";

    public static string Seconds(TimeSpan t) => $"{t.TotalSeconds.ToString("0.0##", CultureInfo.InvariantCulture)}s";

    public static string Percent(double fraction) => $"{(fraction * 100).ToString("0.##", CultureInfo.InvariantCulture)}%";

    public static string Ms(double ms) => $"{ms.ToString("0.###", CultureInfo.InvariantCulture)}ms";

    public static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Growth of a counter (summed over its series) across the run's scrapes; null when no scrape carried it.</summary>
    public static double? CounterDelta(AssertionContext context, string name, TimeSpan? from = null)
    {
        var carrying = context.MetricSeries.Where(s => s.Metrics.Named(name).Any()).ToList();
        if (carrying.Count == 0) return null;
        var before = from is { } f ? carrying.LastOrDefault(s => s.At <= f) : default;
        var first = before.Metrics is not null ? before.Metrics.Sum(name) : carrying[0].Metrics.Sum(name);
        // A scrape series starting after the first increment still counts: absent before means zero before.
        if (before.Metrics is null && from is not null && carrying[0].At > from) first = 0;
        return carrying[^1].Metrics.Sum(name) - first;
    }

    /// <summary>Failed requests of the windows by error class, e.g. "3 failed: timeout 2, http-5xx 1".</summary>
    public static string Failures(IEnumerable<LoadWindow> windows)
    {
        var list = windows.ToList();
        var failed = list.Sum(w => w.Failed);
        if (failed == 0) return "0 failed";
        var classes = list.SelectMany(w => w.Errors).GroupBy(e => e.Key).Select(g => (Key: g.Key.ToKey(), Count: g.Sum(x => x.Value)))
            .Where(c => c.Count > 0).OrderByDescending(c => c.Count).Select(c => $"{c.Key} {c.Count}");
        return $"{failed} failed: {string.Join(", ", classes)}";
    }

    public static AssertionResult Result(AssertionOptions o, string type, Verdict verdict, string expected, string observed, string? message = null) => new()
    {
        Name = o.Name.Length > 0 ? o.Name : type,
        Type = type,
        Verdict = verdict,
        Expected = expected,
        Observed = observed,
        Message = message,
    };
}
