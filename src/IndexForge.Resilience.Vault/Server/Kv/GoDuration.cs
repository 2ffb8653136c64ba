using System.Globalization;
using System.Text;

namespace IndexForge.Resilience.Vault.Server.Kv;

/// <summary>Go's time.ParseDuration / Duration.String, which Vault uses for delete_version_after.</summary>
public static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text)) return false;
        var s = text;
        var negative = false;
        if (s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s == "0") return true;
        if (s.Length == 0) return false;
        double ticks = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (i == start || !double.TryParse(s[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return false;
            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.') i++;
            var unit = s[unitStart..i];
            var match = Array.FindIndex(Units, u => u.Unit == unit);
            if (match < 0) return false;
            ticks += number * Units[match].Ticks;
        }
        value = TimeSpan.FromTicks((long)Math.Round(negative ? -ticks : ticks));
        return true;
    }

    /// <summary>Formats like Go: "0s", "1h2m3s", "1.5s", "250ms".</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero) return "0s";
        var text = new StringBuilder();
        if (value < TimeSpan.Zero)
        {
            text.Append('-');
            value = value.Negate();
        }
        if (value < TimeSpan.FromSeconds(1))
        {
            if (value.Ticks % TimeSpan.TicksPerMillisecond == 0) return text.Append(value.Ticks / TimeSpan.TicksPerMillisecond).Append("ms").ToString();
            return text.Append((value.Ticks / 10.0).ToString(CultureInfo.InvariantCulture)).Append("µs").ToString();
        }
        var hours = (long)value.TotalHours;
        if (hours > 0) text.Append(hours).Append('h');
        if (hours > 0 || value.Minutes > 0) text.Append(value.Minutes).Append('m');
        var seconds = value.Seconds + (value.Ticks % TimeSpan.TicksPerSecond) / (double)TimeSpan.TicksPerSecond;
        return text.Append(seconds.ToString("0.#######", CultureInfo.InvariantCulture)).Append('s').ToString();
    }
}
