using System.Globalization;
using System.Text.RegularExpressions;

namespace IndexForge.Resilience.Core.Assertions.Threshold;

/// <summary>
/// The threshold grammar (docs/scenarios.md): <c>metric op value</c>, e.g. <c>p(95) &lt; 50ms</c>,
/// <c>rate(failed) == 0</c>, <c>rate(status:503) &lt;= 1%</c>, <c>rps &gt;= 190</c>, <c>lag(99) &lt; 2ms</c>.
/// </summary>
public sealed partial record ThresholdExpression(ThresholdMetric Metric, string Operator, double Value, string Text)
{
    public static readonly IReadOnlyList<string> Operators = ["<=", ">=", "==", "!=", "<", ">"];

    /// <summary>Metric forms, for help and error messages.</summary>
    public static readonly IReadOnlyList<string> MetricForms =
    [
        "p(N)", "lag(N)", "avg", "min", "max", "med",
        "rate(failed)", "rate(succeeded)", "rate(dropped)", "rate(status:CODE)", "rate(error:CLASS)",
        "count(requests)", "count(failed)", "count(succeeded)", "count(dropped)", "count(status:CODE)", "count(error:CLASS)",
        "rps",
    ];

    [GeneratedRegex(@"^\s*(?<metric>[a-z]+(?:\([^)]*\))?)\s*(?<op><=|>=|==|!=|<|>)\s*(?<value>-?\d+(?:\.\d+)?)\s*(?<unit>ms|us|s|%)?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    [GeneratedRegex(@"^(?<fn>p|lag|rate|count)\((?<arg>[^)]*)\)$|^(?<bare>avg|min|max|med|rps)$", RegexOptions.CultureInvariant)]
    private static partial Regex MetricShape();

    public static bool TryParse(string text, out ThresholdExpression? expression, out string error)
    {
        expression = null;
        var m = Shape().Match(text);
        if (!m.Success)
        {
            error = $"threshold '{text}' is not of the form 'metric op value', e.g. 'p(95) < 50ms' or 'rate(failed) == 0'";
            return false;
        }
        if (!TryParseMetric(m.Groups["metric"].Value, out var metric, out error)) return false;
        var value = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        var unit = m.Groups["unit"].Value;
        switch (metric!.Kind)
        {
            case MetricKind.Latency:
                if (unit is "%" ) { error = $"'{metric.Name}' is a latency: use ms, s or us, not %"; return false; }
                if (unit.Length == 0) { error = $"'{metric.Name}' is a latency: give a unit, e.g. {value}ms"; return false; }
                value = unit switch { "s" => value * 1000, "us" => value / 1000, _ => value };
                break;
            case MetricKind.Rate:
                if (unit is "ms" or "s" or "us") { error = $"'{metric.Name}' is a fraction: use a number between 0 and 1 or a percentage, not a duration"; return false; }
                if (unit == "%") value /= 100;
                if (value is < 0 or > 1) { error = $"'{metric.Name}' is a fraction between 0 and 1 (or 0%–100%), not {m.Groups["value"].Value}{unit}"; return false; }
                break;
            default:
                if (unit.Length > 0) { error = $"'{metric.Name}' is a count or rate per second: no unit"; return false; }
                break;
        }
        expression = new ThresholdExpression(metric, m.Groups["op"].Value, value, text.Trim());
        error = "";
        return true;
    }

    public static ThresholdExpression Parse(string text) =>
        TryParse(text, out var e, out var error) ? e! : throw new FormatException(error);

    private static bool TryParseMetric(string text, out ThresholdMetric? metric, out string error)
    {
        metric = null;
        var m = MetricShape().Match(text);
        if (!m.Success)
        {
            var name = text.Split('(')[0];
            error = $"unknown metric '{text}'{DidYouMean.Hint(name, ["p", "lag", "rate", "count", "avg", "min", "max", "med", "rps"])}; known: {string.Join(", ", MetricForms)}";
            return false;
        }
        error = "";
        if (m.Groups["bare"].Success)
        {
            var bare = m.Groups["bare"].Value;
            metric = bare == "rps" ? new ThresholdMetric(bare, MetricKind.PerSecond, null, null) : new ThresholdMetric(bare, MetricKind.Latency, null, null);
            return true;
        }
        var fn = m.Groups["fn"].Value;
        var arg = m.Groups["arg"].Value.Trim();
        switch (fn)
        {
            case "p" or "lag":
                if (!double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out var pct) || pct is <= 0 or > 100)
                {
                    error = $"'{text}': the percentile must be a number above 0 and at most 100";
                    return false;
                }
                metric = new ThresholdMetric(text, MetricKind.Latency, fn, arg) { Percentile = pct };
                return true;
            default:
                var known = new[] { "failed", "succeeded", "dropped", "requests" };
                var selectorOk = known.Contains(arg) || arg.StartsWith("status:", StringComparison.Ordinal) && int.TryParse(arg[7..], out _)
                    || arg.StartsWith("error:", StringComparison.Ordinal) && ErrorClassKeys.Contains(arg[6..]);
                if (!selectorOk || (fn == "rate" && arg == "requests"))
                {
                    var options = fn == "rate" ? "failed, succeeded, dropped, status:CODE, error:CLASS" : "requests, failed, succeeded, dropped, status:CODE, error:CLASS";
                    var classes = arg.StartsWith("error:", StringComparison.Ordinal) ? $"; error classes: {string.Join(", ", ErrorClassKeys)}" : "";
                    error = $"'{text}': unknown selector '{arg}'{DidYouMean.Hint(arg, known)}; use {options}{classes}";
                    return false;
                }
                metric = new ThresholdMetric(text, fn == "rate" ? MetricKind.Rate : MetricKind.Count, fn, arg);
                return true;
        }
    }

    internal static readonly string[] ErrorClassKeys =
        Enum.GetValues<Load.ErrorClass>().Where(c => c != Load.ErrorClass.None).Select(c => Load.ErrorClassNames.ToKey(c)).ToArray();

    public bool Holds(double observed) => Operator switch
    {
        "<" => observed < Value,
        "<=" => observed <= Value,
        ">" => observed > Value,
        ">=" => observed >= Value,
        "==" => Math.Abs(observed - Value) < 1e-12,
        _ => Math.Abs(observed - Value) >= 1e-12,
    };
}

public enum MetricKind { Latency, Rate, Count, PerSecond }

public sealed record ThresholdMetric(string Name, MetricKind Kind, string? Function, string? Argument)
{
    public double Percentile { get; init; }
}
