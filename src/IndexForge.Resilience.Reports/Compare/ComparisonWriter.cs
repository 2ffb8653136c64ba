using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Reports.Compare;

/// <summary>Prints a <see cref="RunComparison"/> as an aligned text table or as JSON.</summary>
public static class ComparisonWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    public static string Json(RunComparison comparison) => JsonSerializer.Serialize(comparison, JsonOptions) + "\n";

    public static string Text(RunComparison c, bool onlyChanges = false)
    {
        var rows = new List<string[]> { new[] { "scenario", "assertion / figure", "baseline", "candidate", "change", "status" } };
        foreach (var v in c.Verdicts.Where(v => !onlyChanges || v.Status != ChangeStatus.Unchanged))
            rows.Add([v.Scenario, v.Assertion is null ? "verdict" : $"{v.Assertion}: verdict", V(v.Baseline), V(v.Candidate), "", Status(v.Status, v.IsRegression)]);
        foreach (var f in c.Figures.Where(f => !onlyChanges || f.Status is not (ChangeStatus.Unchanged or ChangeStatus.WithinTolerance)))
            rows.Add([f.Scenario, f.Assertion is null ? f.Figure : $"{f.Assertion}: {f.Figure}", N(f.Baseline), N(f.Candidate), Change(f), Status(f.Status, f.IsRegression)]);

        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var sb = new StringBuilder();
        sb.Append($"compare: baseline {c.BaselineRunId} ({c.BaselineToolVersion}) -> candidate {c.CandidateRunId} ({c.CandidateToolVersion})\n");
        sb.Append($"tolerance: {(c.RelativeTolerance * 100).ToString("0.##", Inv)}% relative (latency and ratio floors apply); direction-aware\n\n");
        foreach (var row in rows)
            sb.Append(string.Join("  ", row.Select((cell, i) => i is 2 or 3 or 4 ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        sb.Append('\n');
        sb.Append(c.HasRegression ? $"{c.Regressions} regression(s)\n" : "no regressions\n");
        return sb.ToString();
    }

    private static string V(Verdict? v) => v is null ? "-" : ReportText.Verdict(v.Value);

    private static string N(double? v) => v is null ? "-" : ReportText.Number(v.Value);

    private static string Change(FigureChange f)
    {
        if (f.Delta is not { } d) return "";
        var sign = d > 0 ? "+" : "";
        return f.DeltaPercent is { } p ? $"{sign}{p.ToString("0.0", Inv)}%" : $"{sign}{ReportText.Number(d)}";
    }

    private static string Status(ChangeStatus s, bool regression) => regression ? "REGRESSION" : s switch
    {
        ChangeStatus.Unchanged => "=",
        ChangeStatus.WithinTolerance => "within tolerance",
        ChangeStatus.Improved => "improved",
        ChangeStatus.Changed => "changed",
        ChangeStatus.Missing => "missing",
        ChangeStatus.Added => "new",
        _ => s.ToString().ToLowerInvariant(),
    };

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
