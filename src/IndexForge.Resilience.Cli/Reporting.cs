using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Reports;

namespace IndexForge.Resilience.Cli;

/// <summary>Writes every report format of a run into its directory.</summary>
internal static class Reporting
{
    /// <summary>Writes reports into <paramref name="directory"/>; returns the files; failures of a format are printed, not fatal.</summary>
    public static IReadOnlyList<string> Write(RunResult result, string directory, TextWriter? error = null)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(directory))!;
        var written = new ReportSet().Write(result with { Manifest = result.Manifest with { RunId = Path.GetFileName(directory) } }, parent);
        foreach (var (format, message) in written.Errors) error?.WriteLine($"report {format} failed: {message}");
        return written.Files.Values.SelectMany(f => f).ToList();
    }
}
