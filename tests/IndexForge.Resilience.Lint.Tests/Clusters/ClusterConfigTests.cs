using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Diff;
using IndexForge.Resilience.Testing;
using Xunit;

namespace IndexForge.Resilience.Lint.Tests.Clusters;

/// <summary>The repository's clusters/: the plan as written is full of findings; hardened has no error.</summary>
public sealed class ClusterConfigTests
{
    private static readonly LintOptions NoPromtool = new() { RunPromtool = false };

    [Fact]
    public void Lint_PlanAsWritten_ProducesTheReviewersFindings()
    {
        var report = Linter.Lint([RepoPaths.Of("clusters", "plan")], NoPromtool);
        string[] expected =
        [
            "ISTIO001", "ISTIO002", "ISTIO003", "ISTIO004", "ISTIO006", "ISTIO007", "ISTIO008", "ISTIO011", "ISTIO012", "ISTIO013", "ISTIO015",
            "K8S001", "K8S002", "K8S003", "K8S004", "K8S005", "K8S006", "K8S007", "K8S010", "K8S011", "K8S012", "K8S013", "K8S014",
            "VAULT001", "VAULT002", "VAULT003", "VAULT004", "VAULT005", "VAULT006", "VAULT008", "VAULT009", "VAULT010", "COMPOSE001",
            "PROM001", "PROM002", "PROM003", "PROM004", "PROM006", "GRAFANA001", "GRAFANA002",
            "KONG001", "KONG002", "KONG003", "ROT001", "ROT002", "ROT003", "ROT004", "LINT002", "PROMTOOL003",
        ];
        var found = report.Findings.Select(f => f.RuleId).ToHashSet();
        Assert.Empty(expected.Except(found));
        Assert.True(report.HasErrors);
        Assert.Equal(ExitCodes.AssertionFailed, report.ExitCode);
        Assert.DoesNotContain(report.Findings, f => f.RuleId == "LINT001");
        // Every finding points into a real file and line of clusters/plan.
        Assert.All(report.Findings.Where(f => f.Line > 0), f => Assert.InRange(f.Line, 1, File.ReadAllLines(f.File).Length));
    }

    [Fact]
    public void Lint_PlanMaxEjectionPercent_PointsAtTheFragmentLine()
    {
        var report = Linter.Lint([RepoPaths.Of("clusters", "plan", "istio")], NoPromtool);
        var fragment = report.WithRule("ISTIO003").Single(f => f.File.EndsWith("outlier-detection-fragment.yaml", StringComparison.Ordinal));
        Assert.Contains("maxEjectionPercent: 10", File.ReadAllLines(fragment.File)[fragment.Line - 1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hardened")]
    [InlineData("hardened-fast")]
    public void Lint_Hardened_HasNoErrorLevelFinding(string dir)
    {
        var report = Linter.Lint([RepoPaths.Of("clusters", dir)], NoPromtool);
        Assert.True(report.Files.Count > 0);
        Assert.False(report.HasErrors, string.Join("\n", report.Findings.Where(f => f.Severity == Severity.Error).Select(f => $"{f.Location} {f.RuleId} {f.Message}")));
        Assert.Equal(ExitCodes.Pass, report.ExitCode);
    }

    [Fact]
    public void Lint_WholeClustersDirectory_KeepsPlanAndHardenedApart()
    {
        var report = Linter.Lint([RepoPaths.Of("clusters")], NoPromtool);
        // The plan as written and the negative-control variants (clusters/controls/) are wrong on purpose.
        Assert.DoesNotContain(report.Findings, f => f.Severity == Severity.Error
            && !f.File.Contains("/plan/", StringComparison.Ordinal) && !f.File.Contains("/controls/", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.File.Contains("/plan/", StringComparison.Ordinal));
    }

    [Fact]
    public void HardenedFast_DiffersFromHardenedOnlyInTimingFields()
    {
        var differences = ConfigDiff.Compare(RepoPaths.Of("clusters", "hardened", "istio"), RepoPaths.Of("clusters", "hardened-fast", "istio"));
        Assert.NotEmpty(differences);
        Assert.All(differences, d => Assert.Contains(d.Field, ConfigDiff.TimingFields));
        Assert.Contains(differences, d => d.Field == "interval" && d.Left == "30s" && d.Right == "1s");
        Assert.Contains(differences, d => d.Field == "baseEjectionTime" && d.Left == "30s" && d.Right == "3s");
    }

    [Fact]
    public void ConfigDiff_NonTimingChange_IsReportedAsSuch()
    {
        var left = Directory.CreateTempSubdirectory();
        var right = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllText(Path.Combine(left.FullName, "dr.yaml"), "spec:\n  outlierDetection:\n    interval: 30s\n    maxEjectionPercent: 50\n");
            File.WriteAllText(Path.Combine(right.FullName, "dr.yaml"), "spec:\n  outlierDetection:\n    interval: 1s\n    maxEjectionPercent: 10\n");
            var differences = ConfigDiff.Compare(left.FullName, right.FullName);
            Assert.Contains(differences, d => d.Field == "maxEjectionPercent" && !ConfigDiff.TimingFields.Contains(d.Field));
        }
        finally
        {
            left.Delete(true);
            right.Delete(true);
        }
    }

    [Fact]
    public void PlanFragments_SayTheyAreFragmentsAtTheTop()
    {
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Of("clusters", "plan"), "*fragment*"))
            Assert.StartsWith("# FRAGMENT", File.ReadAllText(file), StringComparison.Ordinal);
    }
}
