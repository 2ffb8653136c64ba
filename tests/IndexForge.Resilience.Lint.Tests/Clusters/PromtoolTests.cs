using IndexForge.Resilience.Lint.Promtool;
using IndexForge.Resilience.Testing;
using Xunit;

namespace IndexForge.Resilience.Lint.Tests.Clusters;

/// <summary>The real promtool over the rule files and their unit tests (skipped with the reason where it is missing).</summary>
public sealed class PromtoolTests
{
    private static readonly LintOptions WithPromtool = new() { RunPromtool = true };
    private static readonly HashSet<string> PromtoolRules = ["PROMTOOL001", "PROMTOOL002", "PROMTOOL003"];

    [RequiresToolFact("promtool", "prometheus")]
    public void Promtool_HardenedRulesAndTests_Pass()
    {
        var report = Linter.Lint([RepoPaths.Of("clusters", "hardened")], WithPromtool with { OnlyRules = PromtoolRules });
        Assert.Empty(report.Findings);
    }

    [RequiresToolFact("promtool", "prometheus")]
    public void Promtool_PlanTests_ProveVaultUnhealthyNeverFires()
    {
        // The plan's tests assert VaultUnhealthy stays silent while Vault is down and sealed; they pass, which is the proof it is dead.
        var report = Linter.Lint([RepoPaths.Of("clusters", "plan")], WithPromtool with { OnlyRules = PromtoolRules });
        Assert.Empty(report.Findings);
    }

    [RequiresToolFact("promtool", "prometheus")]
    public void Promtool_HardenedTestsAgainstThePlanRule_Fail()
    {
        // Negative control: the hardened tests run against the plan's vault_up rule must fail.
        var dir = Directory.CreateTempSubdirectory("promtool-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "prometheus", "tests"));
            var rules = File.ReadAllText(RepoPaths.Of("clusters", "hardened", "prometheus", "rules.yaml"))
                .Replace("vault_core_unsealed == 0", "vault_up != 1", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(dir.FullName, "prometheus", "rules.yaml"), rules);
            File.Copy(RepoPaths.Of("clusters", "hardened", "prometheus", "tests", "rules_test.yaml"), Path.Combine(dir.FullName, "prometheus", "tests", "rules_test.yaml"));
            var report = Linter.Lint([dir.FullName], WithPromtool with { OnlyRules = PromtoolRules });
            var failure = Assert.Single(report.Findings);
            Assert.Equal("PROMTOOL002", failure.RuleId);
            Assert.Contains("VaultSealed", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [RequiresToolFact("promtool", "prometheus")]
    public void Promtool_InvalidRuleFile_ReportedByCheckRules()
    {
        var report = LintHarness.Findings("PROMTOOL001",
            LintHarness.Files(("prometheus/rules.yaml", "groups:\n  - name: g\n    rules:\n      - alert: Broken\n        expr: rate(up[5m] > 1\n")), promtool: true);
        Assert.Equal("PROMTOOL001", Assert.Single(report).RuleId);
    }

    [Fact]
    public void Promtool_NotInstalled_ReportedAsSkippedInfo()
    {
        var options = new LintOptions { PromtoolPath = "/nonexistent/promtool", OnlyRules = PromtoolRules };
        var report = Linter.Lint([RepoPaths.Of("clusters", "hardened", "prometheus")], options);
        var skipped = Assert.Single(report.Findings);
        Assert.Equal("PROMTOOL003", skipped.RuleId);
        Assert.Contains("promtool not installed: skipped", skipped.Message, StringComparison.Ordinal);
        Assert.Null(PromtoolRunner.Find(options));
    }
}
