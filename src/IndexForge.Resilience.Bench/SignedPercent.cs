using System.Globalization;

namespace IndexForge.Resilience.Bench;

/// <summary>
/// A signed percentage ("+1.2%", "-0.4%"). The zero section matters: with only "+0.0%;-0.0%", .NET
/// formats a negative value that rounds to zero (or -0.0) as "-+0.0%".
/// </summary>
public static class SignedPercent
{
    public static string Format(double fraction, int decimals)
    {
        var body = decimals == 0 ? "0%" : "0." + new string('0', decimals) + "%";
        return fraction.ToString($"+{body};-{body};+{body}", CultureInfo.InvariantCulture);
    }
}
