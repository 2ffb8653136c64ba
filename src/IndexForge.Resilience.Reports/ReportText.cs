using System.Globalization;
using System.Text;
using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Reports;

/// <summary>How every format prints numbers, times and verdicts, so the formats agree with each other.</summary>
public static class ReportText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Ms(double milliseconds) => milliseconds.ToString(milliseconds >= 100 ? "0" : "0.0#", Inv) + " ms";

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", Inv) + " s";

    public static string Number(double value) => double.IsFinite(value) ? value.ToString("0.###", Inv) : value.ToString(Inv);

    public static string Count(long value) => value.ToString("N0", Inv);

    public static string Rate(double perSecond) => perSecond.ToString("0.0", Inv) + "/s";

    public static string Verdict(Verdict verdict) => verdict switch
    {
        Core.Results.Verdict.Pass => "pass",
        Core.Results.Verdict.Fail => "fail",
        Core.Results.Verdict.Skipped => "skipped",
        _ => "error",
    };

    public static string Severity(Severity severity) => severity.ToString().ToLowerInvariant();

    /// <summary>"fault 'kill-a' (10.0 s – 40.0 s)"; the evidence window as the report shows it.</summary>
    public static string Window(AssertionResult assertion)
    {
        var range = assertion.WindowStart is { } s
            ? assertion.WindowEnd is { } e ? $"{Seconds(s)} – {Seconds(e)}" : $"from {Seconds(s)}"
            : null;
        return (assertion.Window, range) switch
        {
            (null, null) => "whole run",
            (null, _) => range!,
            (_, null) => assertion.Window!,
            _ => $"{assertion.Window} ({range})",
        };
    }

    /// <summary>A file-name-safe, lower-case form of a name.</summary>
    public static string Slug(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        var slug = sb.ToString().Trim('-');
        return slug.Length == 0 ? "scenario" : slug;
    }

    /// <summary>Counts of assertion verdicts over a run.</summary>
    public static (int Total, int Passed, int Failed, int Skipped, int Errors) Tally(RunResult run)
    {
        var all = run.Scenarios.SelectMany(s => s.Assertions).ToList();
        return (all.Count,
            all.Count(a => a.Verdict == Core.Results.Verdict.Pass),
            all.Count(a => a.Verdict == Core.Results.Verdict.Fail),
            all.Count(a => a.Verdict == Core.Results.Verdict.Skipped),
            all.Count(a => a.Verdict == Core.Results.Verdict.Error));
    }

    /// <summary>Warnings a reader must see for a scenario: the recorded ones plus a saturated generator.</summary>
    public static IReadOnlyList<string> Warnings(ScenarioResult scenario)
    {
        var list = new List<string>(scenario.Warnings);
        // The runner may already have recorded the saturation as a warning; say it once.
        if (scenario.Load.Saturated && !list.Any(w => w.Contains("saturated", StringComparison.OrdinalIgnoreCase)))
            list.Add("load generator saturated: latency reflects the generator, not the target"
                + (scenario.Load.SaturationReason is { Length: > 0 } r ? $" ({r})" : ""));
        return list;
    }
}
