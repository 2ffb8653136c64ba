using System.Globalization;
using System.Text.RegularExpressions;

namespace IndexForge.Resilience.Core.Scenarios;

/// <summary>Durations as the scenario format and Istio write them: <c>30s</c>, <c>500ms</c>, <c>1m30s</c>, <c>2h</c>, <c>250us</c>.</summary>
public static partial class Durations
{
    [GeneratedRegex(@"^(?:(?<n>\d+(?:\.\d+)?)(?<u>h|ms|m|s|us|µs|ns))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var m = Pattern().Match(text.Trim());
        if (!m.Success) return false;
        double ticks = 0;
        var numbers = m.Groups["n"].Captures;
        var units = m.Groups["u"].Captures;
        for (var i = 0; i < numbers.Count; i++)
        {
            var n = double.Parse(numbers[i].Value, CultureInfo.InvariantCulture);
            ticks += units[i].Value switch
            {
                "h" => n * TimeSpan.TicksPerHour,
                "m" => n * TimeSpan.TicksPerMinute,
                "s" => n * TimeSpan.TicksPerSecond,
                "ms" => n * TimeSpan.TicksPerMillisecond,
                "us" or "µs" => n * 10,
                _ => n / 100,
            };
        }
        if (ticks > TimeSpan.MaxValue.Ticks) return false;
        value = TimeSpan.FromTicks((long)Math.Round(ticks));
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"'{text}' is not a duration (e.g. 30s, 500ms, 1m30s)");

    /// <summary>Short human form: 1.5s, 250ms, 2m.</summary>
    public static string Format(TimeSpan t)
    {
        if (t == TimeSpan.Zero) return "0s";
        if (t.TotalMilliseconds < 1) return $"{t.TotalMicroseconds.ToString("0.#", CultureInfo.InvariantCulture)}us";
        if (t.TotalSeconds < 1) return $"{t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}ms";
        if (t.TotalMinutes < 1 || t.Seconds != 0 || t.Milliseconds != 0)
            return $"{t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s";
        return t.TotalHours < 1 || t.Minutes != 0 ? $"{t.TotalMinutes:0}m" : $"{t.TotalHours:0}h";
    }
}
