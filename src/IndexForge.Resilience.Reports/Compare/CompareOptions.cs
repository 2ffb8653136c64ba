using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Reports.Compare;

public enum CompareOutputFormat { Text, Json }

/// <summary>How strict <c>compare</c> is. A figure regresses when it moves the wrong way by more than
/// max(|baseline| × relative tolerance, the absolute floor for its unit).</summary>
public sealed record CompareOptions
{
    /// <summary>Relative tolerance as a fraction (0.10 = 10%).</summary>
    [Range(0.0, 10.0)] public double RelativeTolerance { get; init; } = CompareConstants.DefaultRelativeTolerance;
    /// <summary>Latency changes smaller than this many milliseconds are noise, whatever the percentage.</summary>
    [Range(0.0, 60_000.0)] public double LatencyFloorMs { get; init; } = CompareConstants.DefaultLatencyFloorMs;
    /// <summary>Changes of a ratio or share (0..1) smaller than this are noise.</summary>
    [Range(0.0, 1.0)] public double RatioFloor { get; init; } = CompareConstants.DefaultRatioFloor;
    /// <summary>Per-figure relative tolerance, by figure name (e.g. "p95Ms" or "load.p99Ms").</summary>
    public IReadOnlyDictionary<string, double> FigureTolerances { get; init; } = new Dictionary<string, double>();
    /// <summary>Per-figure direction where the name does not tell (see <see cref="FigureDirections"/>).</summary>
    public IReadOnlyDictionary<string, FigureDirection> FigureDirectionOverrides { get; init; } = new Dictionary<string, FigureDirection>();
    /// <summary>A scenario or assertion the candidate no longer has counts as a regression (it could hide a failure).</summary>
    public bool MissingIsRegression { get; init; } = true;
    /// <summary>A pass that became a skip counts as a regression (coverage lost).</summary>
    public bool SkipIsRegression { get; init; }
    public CompareOutputFormat Format { get; init; } = CompareOutputFormat.Text;
    /// <summary>Also write the comparison as JSON to this file.</summary>
    public string? JsonPath { get; init; }
    /// <summary>Where run ids are looked up when a run argument is neither a file nor a directory.</summary>
    [Required] public string ReportsRoot { get; init; } = ReportConstants.DefaultReportsRoot;
    /// <summary>List only figures that moved beyond tolerance and verdicts that changed.</summary>
    public bool OnlyChanges { get; init; }
}

public static class CompareConstants
{
    public const double DefaultRelativeTolerance = 0.10;
    public const double DefaultLatencyFloorMs = 2.0;
    public const double DefaultRatioFloor = 0.001;
    public const string SchemaVersion = "1.0";
}
