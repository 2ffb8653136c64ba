using System.Globalization;
using System.Text.RegularExpressions;
using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Kubernetes.Halt;

/// <summary>
/// One <c>--halt-on</c> bound: <c>metric op value [for duration]</c>, e.g. <c>success-rate&lt;0.5</c>,
/// <c>p95&gt;2s for 10s</c>, <c>error-rate&gt;=0.2 for 5s</c>. The run halts when the expression holds
/// without a break for the duration (at once without one). Metrics: success-rate and error-rate
/// (0..1 of completed requests), p50, p90, p95, p99 (latency; ms, s or a bare number of ms).
/// </summary>
public sealed partial record HaltCondition(string Metric, string Operator, double Threshold, TimeSpan For, string Text)
{
    public static readonly IReadOnlyList<string> Metrics = ["success-rate", "error-rate", "p50", "p90", "p95", "p99"];

    [GeneratedRegex(@"^\s*(?<m>[a-z0-9-]+)\s*(?<op><=|>=|<|>)\s*(?<v>[0-9.]+)\s*(?<u>ms|s)?\s*(for\s+(?<f>[0-9.]+)\s*(?<fu>ms|s|m))?\s*$")]
    private static partial Regex Grammar();

    /// <summary>Parses a comma-separated list; every error is reported together.</summary>
    public static IReadOnlyList<HaltCondition> ParseAll(string text)
    {
        var errors = new List<string>();
        var list = new List<HaltCondition>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (TryParse(part, out var c, out var error)) list.Add(c!);
            else errors.Add(error!);
        }
        if (list.Count == 0 && errors.Count == 0) errors.Add("--halt-on is empty");
        return errors.Count > 0 ? throw new FormatException(string.Join("; ", errors)) : list;
    }

    public static bool TryParse(string text, out HaltCondition? condition, out string? error)
    {
        condition = null;
        var m = Grammar().Match(text);
        if (!m.Success)
        {
            error = $"'{text}' is not 'metric<value [for 10s]' (metrics: {string.Join(", ", Metrics)})";
            return false;
        }
        var metric = m.Groups["m"].Value;
        if (!Metrics.Contains(metric))
        {
            error = $"'{text}': unknown metric '{metric}' (metrics: {string.Join(", ", Metrics)})";
            return false;
        }
        var value = double.Parse(m.Groups["v"].Value, CultureInfo.InvariantCulture);
        var unit = m.Groups["u"].Value;
        var isRate = metric.EndsWith("-rate", StringComparison.Ordinal);
        if (isRate && (unit.Length > 0 || value > 1))
        {
            error = $"'{text}': {metric} is a fraction between 0 and 1";
            return false;
        }
        if (!isRate && unit == "s") value *= 1000;
        var forText = m.Groups["f"].Value;
        var duration = forText.Length == 0 ? TimeSpan.Zero : m.Groups["fu"].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(double.Parse(forText, CultureInfo.InvariantCulture)),
            "m" => TimeSpan.FromMinutes(double.Parse(forText, CultureInfo.InvariantCulture)),
            _ => TimeSpan.FromSeconds(double.Parse(forText, CultureInfo.InvariantCulture)),
        };
        condition = new HaltCondition(metric, m.Groups["op"].Value, value, duration, text.Trim());
        error = null;
        return true;
    }

    /// <summary>The window's value of the metric, or null when the window says nothing about it (no completed request).</summary>
    public double? ValueOf(WindowStats w)
    {
        if (w.Completed == 0 && w.Dropped == 0) return null;
        var total = w.Completed + w.Dropped; // a send the generator could not make is a failure of the steady state too
        return Metric switch
        {
            "success-rate" => (double)w.Succeeded / total,
            "error-rate" => (double)(total - w.Succeeded) / total,
            "p50" => w.Latency.P50,
            "p90" => w.Latency.P90,
            "p95" => w.Latency.P95,
            _ => w.Latency.P99,
        };
    }

    public bool Breached(double value) => Operator switch
    {
        "<" => value < Threshold,
        "<=" => value <= Threshold,
        ">" => value > Threshold,
        _ => value >= Threshold,
    };
}
