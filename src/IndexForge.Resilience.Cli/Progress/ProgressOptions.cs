using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Cli.Progress;

public enum ProgressMode
{
    /// <summary>Live on an interactive terminal; plain lines when output is redirected or CI is set.</summary>
    Auto,
    Live,
    Plain,
    Quiet,
}

public sealed record ProgressOptions
{
    /// <summary>How often the plain observer prints a status line per scenario.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")] public TimeSpan Interval { get; init; } = ProgressConstants.PlainInterval;
    /// <summary>How often the live display redraws.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:10")] public TimeSpan Refresh { get; init; } = ProgressConstants.LiveRefresh;
}

public static class ProgressConstants
{
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan LiveRefresh = TimeSpan.FromMilliseconds(250);
    /// <summary>Recent events shown under the live table.</summary>
    public const int LiveLogLines = 6;
}
