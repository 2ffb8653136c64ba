using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint;
using Xunit;

namespace IndexForge.Resilience.Lint.Tests;

/// <summary>Writes small configuration sets to a temporary directory and lints them with one rule.</summary>
public static class LintHarness
{
    public static IReadOnlyList<LintFinding> Findings(string ruleId, IReadOnlyDictionary<string, string> files, bool promtool = false)
    {
        var dir = Directory.CreateTempSubdirectory("lint-test-");
        try
        {
            foreach (var (path, content) in files)
            {
                var full = Path.Combine(dir.FullName, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, content);
            }
            var options = new LintOptions { OnlyRules = new HashSet<string> { ruleId }, RunPromtool = promtool };
            var report = Linter.Lint([dir.FullName], options);
            return report.Findings.Select(f => f with { File = Path.GetRelativePath(dir.FullName, f.File) }).ToList();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The failing input gives at least one finding of the rule (with a location and the rule's text); the passing input none.</summary>
    public static IReadOnlyList<LintFinding> AssertRule(string ruleId, IReadOnlyDictionary<string, string> failing, IReadOnlyDictionary<string, string> passing)
    {
        var bad = Findings(ruleId, failing);
        Assert.NotEmpty(bad);
        Assert.All(bad, f =>
        {
            Assert.Equal(ruleId, f.RuleId);
            Assert.False(string.IsNullOrWhiteSpace(f.Message));
            Assert.False(string.IsNullOrWhiteSpace(f.Why));
            Assert.False(string.IsNullOrWhiteSpace(f.Fix));
            Assert.StartsWith("http", f.Reference, StringComparison.Ordinal);
        });
        var good = Findings(ruleId, passing);
        Assert.Empty(good);
        return bad;
    }

    public static Dictionary<string, string> Files(params (string Path, string Content)[] files) =>
        files.ToDictionary(f => f.Path, f => f.Content);

    public static bool IsError(LintFinding f) => f.Severity == Severity.Error;
}
