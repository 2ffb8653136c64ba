using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Promtool;

namespace IndexForge.Resilience.Lint.Rules.Prometheus;

/// <summary>PROMTOOL001: `promtool check rules` — Prometheus's own parser over every rule file.</summary>
public sealed class PromtoolCheckRule : LintRule
{
    public override RuleInfo Info { get; } = new("PROMTOOL001", Severity.Error, "Prometheus",
        "promtool check rules fails", References.PromRecordingRules);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        if (!context.Options.RunPromtool || set.RuleFiles.Count == 0 || PromtoolRunner.Find(context.Options) is not { } promtool) yield break;
        foreach (var file in set.RuleFiles)
        {
            var full = Path.GetFullPath(file.File);
            var result = PromtoolRunner.Run(promtool, ["check", "rules", full], Path.GetDirectoryName(full)!, context.Options.PromtoolTimeout);
            if (result.ExitCode == 0) continue;
            yield return Finding(file.File, 0, $"promtool check rules failed: {Summarise(result.Output, full)}",
                "Prometheus refuses to load a rule file promtool rejects; every alert in it is missing until it is fixed.",
                "Run `promtool check rules " + file.File + "` and fix what it reports.");
        }
    }

    internal static string Summarise(string output, string path) =>
        string.Join(" | ", output.Replace(path, Path.GetFileName(path)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("Checking", StringComparison.Ordinal) && !l.StartsWith("Unit Testing", StringComparison.Ordinal)).Take(12));
}
