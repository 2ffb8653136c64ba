using System.Text.RegularExpressions;
using IndexForge.Resilience.Lint.Rules;
using IndexForge.Resilience.Testing;
using Xunit;

namespace IndexForge.Resilience.Lint.Tests;

public sealed class RuleCatalogTests
{
    [Fact]
    public void Catalog_EveryRule_HasUniqueIdTitleAndAuthority()
    {
        Assert.Equal(RuleCatalog.All.Count, RuleCatalog.All.Select(r => r.Info.Id).Distinct().Count());
        Assert.All(RuleCatalog.All, r =>
        {
            Assert.Matches("^[A-Z0-9]+[0-9]{3}$", r.Info.Id);
            Assert.False(string.IsNullOrWhiteSpace(r.Info.Title));
            if (!r.Info.Id.StartsWith("LINT", StringComparison.Ordinal)) Assert.StartsWith("https://", r.Info.Reference, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Catalog_EveryRule_IsDocumentedWithItsReference()
    {
        var doc = File.ReadAllText(RepoPaths.Of("docs", "lint.md"));
        Assert.All(RuleCatalog.All, r =>
        {
            Assert.Contains($"| {r.Info.Id} |", doc, StringComparison.Ordinal);
            if (r.Info.Reference.StartsWith("http", StringComparison.Ordinal)) Assert.Contains(r.Info.Reference, doc, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Catalog_EveryRule_HasATestNamedAfterIt()
    {
        var testSources = Directory.EnumerateFiles(RepoPaths.Of("tests", "IndexForge.Resilience.Lint.Tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Select(File.ReadAllText).ToList();
        var missing = RuleCatalog.All.Select(r => r.Info.Id)
            .Where(id => !testSources.Any(s => Regex.IsMatch(s, $@"\b{id}\b|\b{id}_|""{id}""")))
            .ToList();
        Assert.Empty(missing);
    }
}
