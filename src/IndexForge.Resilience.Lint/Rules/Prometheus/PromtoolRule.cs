using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Promtool;

namespace IndexForge.Resilience.Lint.Rules.Prometheus;

/// <summary>
/// A rule that runs one `promtool &lt;command&gt; rules FILE` per file and reports each failing file
/// (PROMTOOL001 check, PROMTOOL002 test). Skipped when promtool runs are off or promtool is missing.
/// </summary>
public abstract class PromtoolRule : LintRule
{
    /// <summary>The promtool subcommand: "check" or "test".</summary>
    protected abstract string Command { get; }

    protected abstract IEnumerable<string> Files(ConfigSet set);

    protected abstract string Why { get; }

    protected abstract string Fix(string file);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        var files = Files(set).ToList();
        if (!context.Options.RunPromtool || files.Count == 0 || PromtoolRunner.Find(context.Options) is not { } promtool) yield break;
        foreach (var file in files)
        {
            var full = Path.GetFullPath(file);
            var result = PromtoolRunner.Run(promtool, [Command, "rules", full], Path.GetDirectoryName(full)!, context.Options.PromtoolTimeout);
            if (result.ExitCode == 0) continue;
            yield return Finding(file, 0, $"promtool {Command} rules failed: {Summarise(result.Output, full)}", Why, Fix(file));
        }
    }

    internal static string Summarise(string output, string path) =>
        string.Join(" | ", output.Replace(path, Path.GetFileName(path)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("Checking", StringComparison.Ordinal) && !l.StartsWith("Unit Testing", StringComparison.Ordinal)).Take(12));
}
