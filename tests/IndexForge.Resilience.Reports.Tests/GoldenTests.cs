using Xunit;
using Xunit.Sdk;

namespace IndexForge.Resilience.Reports.Tests;

public sealed class GoldenTests
{
    [Fact]
    public void Diff_ChangedLine_ShowsLineNumberAndBothSides()
    {
        var diff = Golden.Diff("a\nb\nc\n", "a\nB\nc\n");
        Assert.Equal("line 2:\n  - b\n  + B\n", diff);
        Assert.Null(Golden.Diff("same\n", "same\n"));
    }

    [Fact]
    public void Verify_OutputDiffersFromGolden_Fails()
    {
        // Negative control for every golden test: a changed output must fail, naming the file and the line.
        if (Environment.GetEnvironmentVariable(Golden.UpdateVariable) == "1") return;
        var golden = File.ReadAllText(Golden.PathOf("summary.md"));
        var e = Assert.Throws<XunitException>(() => Golden.Verify("summary.md", golden.Replace("❌ fail", "✅ pass", StringComparison.Ordinal)));
        Assert.Contains("summary.md", e.Message);
        Assert.Contains("line 9:", e.Message);
    }
}
