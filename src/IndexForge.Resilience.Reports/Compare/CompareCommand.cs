using System.ComponentModel.DataAnnotations;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Reports.Json;

namespace IndexForge.Resilience.Reports.Compare;

/// <summary>
/// <c>compare &lt;baseline-run&gt; &lt;candidate-run&gt;</c>: each run is a summary.json, a report directory
/// holding one, or a run id under <see cref="CompareOptions.ReportsRoot"/>. Exit 1 on any regression,
/// 0 otherwise, 2 when an input cannot be read or the options are invalid.
/// </summary>
public static class CompareCommand
{
    public static int Run(string baselineRun, string candidateRun, CompareOptions options, TextWriter output, TextWriter? error = null)
    {
        error ??= output;
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true))
        {
            foreach (var p in problems) error.WriteLine($"compare: {p.ErrorMessage}");
            return ExitCodes.InvalidInput;
        }
        RunResult baseline, candidate;
        try
        {
            baseline = SummaryJson.Read(Resolve(baselineRun, options.ReportsRoot));
            candidate = SummaryJson.Read(Resolve(candidateRun, options.ReportsRoot));
        }
        catch (SummaryFormatException e)
        {
            error.WriteLine($"compare: {e.Message}");
            return ExitCodes.InvalidInput;
        }

        var comparison = new RunComparer(options).Compare(baseline, candidate);
        output.Write(options.Format == CompareOutputFormat.Json ? ComparisonWriter.Json(comparison) : ComparisonWriter.Text(comparison, options.OnlyChanges));
        if (options.JsonPath is { } path)
        {
            try
            {
                var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
                Directory.CreateDirectory(dir);
                File.WriteAllText(path, ComparisonWriter.Json(comparison));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"compare: cannot write {path}: {e.Message}");
                return ExitCodes.InvalidInput;
            }
        }
        return comparison.HasRegression ? ExitCodes.AssertionFailed : ExitCodes.Pass;
    }

    /// <summary>The summary.json a run argument names; the path is returned even when missing so the reader reports it.</summary>
    public static string Resolve(string run, string reportsRoot)
    {
        if (File.Exists(run)) return run;
        if (Directory.Exists(run)) return Path.Combine(run, ReportConstants.SummaryJson);
        var byId = Path.Combine(ReportSet.DirectoryFor(reportsRoot, run), ReportConstants.SummaryJson);
        return File.Exists(byId) ? byId : run;
    }
}
