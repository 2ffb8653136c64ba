using System.Text.RegularExpressions;

namespace IndexForge.Resilience.Lint.Rules.Prometheus;

/// <summary>Prometheus durations: 1y2w3d4h5m6s7ms.</summary>
public static partial class PromDuration
{
    [GeneratedRegex(@"^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"\[(\d+(?:ms|[smhdwy])(?:\d+(?:ms|[smhdwy]))*)(?::[^\]]*)?\]")]
    private static partial Regex RangePattern();

    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var m = Pattern().Match(text.Trim());
        if (!m.Success || m.Length == 0) return null;
        double Part(int i) => m.Groups[i].Success ? double.Parse(m.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return TimeSpan.FromDays(Part(1) * 365 + Part(2) * 7 + Part(3)) + TimeSpan.FromHours(Part(4)) + TimeSpan.FromMinutes(Part(5)) +
               TimeSpan.FromSeconds(Part(6)) + TimeSpan.FromMilliseconds(Part(7));
    }

    /// <summary>Longest range selector ([5m]) in an expression.</summary>
    public static TimeSpan? LongestRange(string expr) =>
        RangePattern().Matches(expr).Select(m => Parse(m.Groups[1].Value)).Where(d => d is not null).Max();
}
