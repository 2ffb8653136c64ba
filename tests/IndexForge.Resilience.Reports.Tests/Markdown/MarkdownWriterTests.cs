using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Reports.Markdown;
using IndexForge.Resilience.Reports.Tests.Fixtures;
using Xunit;

namespace IndexForge.Resilience.Reports.Tests.Markdown;

public sealed class MarkdownWriterTests
{
    [Fact]
    public void Render_RecordedRun_MatchesGoldenFile() => Golden.Verify("summary.md", new MarkdownWriter().Render(RecordedRun.Create()));

    [Fact]
    public void Render_RecordedRun_HasVerdictLineRowsFindingsAndLink()
    {
        var md = new MarkdownWriter().Render(RecordedRun.Create());
        var lines = md.Split('\n');
        Assert.StartsWith("## ⚠️ ERROR", lines[0]);
        Assert.Equal(7, lines.Count(l => l.StartsWith("| outlier-ejection", StringComparison.Ordinal) || l.StartsWith("| region-failover", StringComparison.Ordinal)));
        Assert.Contains("IF-OD-001", md);
        Assert.Contains("IF-OD-003", md);
        Assert.Contains("not emulated", md);
        Assert.Contains("load generator saturated", md);
        Assert.Contains("[index.html](index.html)", md);
    }

    [Fact]
    public void Render_PipesAndHtml_AreEscapedInCells()
    {
        var run = RecordedRun.Create();
        var a = run.Scenarios[0].Assertions[0] with { Expected = "a | b <script>alert(1)</script>" };
        var changed = run with { Scenarios = [run.Scenarios[0] with { Assertions = [a] }] };
        var md = new MarkdownWriter().Render(changed);
        Assert.Contains("a \\| b &lt;script&gt;alert(1)&lt;/script&gt;", md);
        Assert.DoesNotContain("<script>", md);
    }

    [Fact]
    public void Render_ManyAssertions_IsCutWithACount()
    {
        var run = RecordedRun.Create();
        var many = Enumerable.Range(0, 500).Select(i => run.Scenarios[0].Assertions[0] with { Name = $"a{i}" }).ToList();
        var changed = run with { Scenarios = [run.Scenarios[0] with { Assertions = many }] };
        var md = new MarkdownWriter(new MarkdownOptions { MaxRows = 40 }).Render(changed);
        Assert.Contains("… and 460 more rows", md);
        Assert.True(md.Length < 20_000, $"summary.md is {md.Length} characters");
    }

    [Fact]
    public void Render_SaturationAlreadyWarned_IsListedOnce()
    {
        var run = RecordedRun.Create();
        var s = run.Scenarios[1] with { Warnings = ["load generator saturated: scheduler lag p99 1280 ms exceeds 5 ms"] };
        var md = new MarkdownWriter().Render(run with { Scenarios = [run.Scenarios[0], s] });
        Assert.Single(md.Split('\n'), l => l.Contains("saturated", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_AbortedRun_SaysSoFirst()
    {
        var md = new MarkdownWriter().Render(RecordedRun.Create() with { Aborted = true, AbortReason = "Ctrl-C" });
        Assert.StartsWith("## 🛑 ABORTED", md);
        Assert.Contains("> **Aborted:** Ctrl-C", md);
    }

    [Fact]
    public void Render_PassingRun_SaysPass()
    {
        var run = RecordedRun.Create();
        var passing = run with { Verdict = Verdict.Pass, Scenarios = [run.Scenarios[0] with { Verdict = Verdict.Pass, Assertions = [run.Scenarios[0].Assertions[0]], Findings = [] }] };
        Assert.StartsWith("## ✅ PASS", new MarkdownWriter().Render(passing));
    }
}
