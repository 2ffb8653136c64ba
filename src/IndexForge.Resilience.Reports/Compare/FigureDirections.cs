namespace IndexForge.Resilience.Reports.Compare;

public enum FigureDirection { LowerIsBetter, HigherIsBetter, Neutral }

public enum FigureUnit { Milliseconds, Ratio, Other }

/// <summary>
/// Which way a figure should move, read from its name: latency, errors, failures, drops, lag, overhead and
/// durations are better lower; rates, throughput, success and availability are better higher (a name with both,
/// like errorRate, is better lower). Anything else is neutral: reported when it moves, never a regression.
/// </summary>
public static class FigureDirections
{
    private static readonly HashSet<string> Lower = new(StringComparer.Ordinal)
    {
        "latency", "p50", "p75", "p90", "p95", "p99", "p999", "max", "mean", "ms", "seconds", "overhead", "lag",
        "failed", "failures", "failure", "error", "errors", "dropped", "drops", "downtime", "time", "duration", "refused", "overflow", "overflows",
    };

    private static readonly HashSet<string> Higher = new(StringComparer.Ordinal)
    {
        "rate", "throughput", "rps", "success", "succeeded", "successratio", "availability", "achieved",
    };

    public static FigureDirection Infer(string name)
    {
        var words = Words(name);
        if (words.Any(Lower.Contains)) return FigureDirection.LowerIsBetter;
        if (words.Any(Higher.Contains)) return FigureDirection.HigherIsBetter;
        return FigureDirection.Neutral;
    }

    public static FigureUnit Unit(string name)
    {
        var words = Words(name);
        if (words.Contains("ms") || words.Contains("latency") || words.Any(w => w.Length > 1 && w[0] == 'p' && w[1..].All(char.IsAsciiDigit)))
            return FigureUnit.Milliseconds;
        if (words.Contains("ratio") || words.Contains("share") || words.Contains("fraction")) return FigureUnit.Ratio;
        return FigureUnit.Other;
    }

    /// <summary>"load.p95Ms" → [load, p95, ms]; "time-to-ejection" → [time, to, ejection].</summary>
    public static IReadOnlyList<string> Words(string name)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        void Flush() { if (current.Length > 0) { words.Add(current.ToString().ToLowerInvariant()); current.Clear(); } }
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsAsciiLetterOrDigit(c)) { Flush(); continue; }
            if (char.IsUpper(c) && current.Length > 0 && !char.IsUpper(name[i - 1])) Flush();
            current.Append(c);
        }
        Flush();
        return words;
    }
}
