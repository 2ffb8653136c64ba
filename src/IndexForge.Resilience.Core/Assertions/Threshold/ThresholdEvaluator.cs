using HdrHistogram;
using System.Globalization;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Core.Assertions.Threshold;

/// <summary>Evaluates a threshold expression over the windows of its evidence window, from merged histograms.</summary>
internal sealed class ThresholdEvaluator : IAssertionEvaluator
{
    public string Type => AssertionTypes.Threshold;

    public AssertionResult Evaluate(AssertionOptions options, AssertionContext context)
    {
        var o = (ThresholdOptions)options;
        var expression = ThresholdExpression.Parse(o.Expr);
        var (windowName, start, end) = context.EvidenceWindow(o);
        var windows = EvidenceWindows.Select(context, o, start, end);
        var observed = Observe(expression.Metric, windows, out var requests);
        var display = Display(expression.Metric, observed);
        var verdict = requests == 0 && expression.Metric.Kind != MetricKind.Count
            ? Verdict.Fail
            : expression.Holds(observed) ? Verdict.Pass : Verdict.Fail;
        var generatorBound = expression.Metric.Kind == MetricKind.Latency && expression.Metric.Function != "lag"
            && Evidence.GeneratorBound(context, verdict, () => expression.Holds(Observe(expression.Metric, windows, out _, fromActualSend: true)));
        if (generatorBound) verdict = Verdict.Error;
        return new AssertionResult
        {
            Name = o.Name,
            Type = Type,
            Verdict = verdict,
            Expected = expression.Text,
            Observed = $"{expression.Metric.Name} = {display} over {requests} requests",
            Window = windowName,
            WindowStart = start,
            WindowEnd = end,
            Message = generatorBound
                ? Evidence.GeneratorBoundMessage(context, "the latency measured is the generator's, not the target's")
                : requests == 0 && expression.Metric.Kind != MetricKind.Count
                    ? "no request completed in the evidence window: nothing was measured, so nothing is certified"
                    : null,
            Figures = new Dictionary<string, double> { [expression.Metric.Name] = observed, ["requests"] = requests },
        };
    }

    internal static double Observe(ThresholdMetric metric, IReadOnlyList<LoadWindow> windows, out long requests, bool fromActualSend = false)
    {
        var completed = windows.Sum(w => w.Completed);
        var dropped = windows.Sum(w => w.Dropped);
        requests = completed;
        switch (metric.Kind)
        {
            case MetricKind.Latency:
                var histogram = LoadRun.Merge(windows, metric.Function == "lag" ? w => w.SchedulerLag : fromActualSend ? w => w.ServiceLatency : w => w.Latency);
                if (metric.Function == "lag") requests = histogram.TotalCount;
                if (histogram.TotalCount == 0) return 0;
                return metric.Name switch
                {
                    "avg" => histogram.GetMean() / 1000.0,
                    "min" => histogram.GetValueAtPercentile(0) / 1000.0,
                    "max" => histogram.GetMaxValue() / 1000.0,
                    "med" => histogram.GetValueAtPercentile(50) / 1000.0,
                    _ => histogram.GetValueAtPercentile(metric.Percentile) / 1000.0,
                };
            case MetricKind.PerSecond:
                var seconds = windows.Sum(w => w.Length.TotalSeconds);
                return seconds > 0 ? completed / seconds : 0;
            default:
                var count = Count(metric.Argument!, windows, completed, dropped);
                if (metric.Kind == MetricKind.Count) return count;
                var denominator = metric.Argument == "dropped" ? completed + dropped : completed;
                requests = denominator;
                return denominator > 0 ? (double)count / denominator : 0;
        }
    }

    private static long Count(string selector, IReadOnlyList<LoadWindow> windows, long completed, long dropped)
    {
        if (selector == "requests") return completed;
        if (selector == "failed") return windows.Sum(w => w.Failed);
        if (selector == "succeeded") return windows.Sum(w => w.Succeeded);
        if (selector == "dropped") return dropped;
        if (selector.StartsWith("status:", StringComparison.Ordinal))
        {
            var code = int.Parse(selector[7..], CultureInfo.InvariantCulture);
            return windows.Sum(w => w.StatusCodes.GetValueOrDefault(code));
        }
        var cls = Enum.GetValues<ErrorClass>().First(c => c.ToKey() == selector[6..]);
        return windows.Sum(w => w.Errors.GetValueOrDefault(cls));
    }

    private static string Display(ThresholdMetric metric, double value) => metric.Kind switch
    {
        MetricKind.Latency => $"{value.ToString("0.###", CultureInfo.InvariantCulture)}ms",
        MetricKind.Rate => $"{(value * 100).ToString("0.####", CultureInfo.InvariantCulture)}%",
        MetricKind.PerSecond => $"{value.ToString("0.#", CultureInfo.InvariantCulture)}/s",
        _ => value.ToString("0", CultureInfo.InvariantCulture),
    };
}
