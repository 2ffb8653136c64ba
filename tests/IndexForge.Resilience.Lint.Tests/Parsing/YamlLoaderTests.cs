using IndexForge.Resilience.Lint.Parsing;
using Xunit;

namespace IndexForge.Resilience.Lint.Tests.Parsing;

public sealed class YamlLoaderTests
{
    [Fact]
    public void Load_MultiDocument_KeepsLinesPerDocument()
    {
        var docs = YamlLoader.Load("# c\na: 1\n---\nb:\n  c: 2\n---\n");
        Assert.Equal(2, docs.Count);
        Assert.Equal(2, docs[0].Line());
        Assert.Equal(5, docs[1].LineOf(0, "b", "c"));
        Assert.Equal(2L, docs[1].Long("b", "c"));
    }

    [Theory]
    [InlineData("a: 1\n  b: 2\n", 2)]
    [InlineData("a: [1, 2\nb: 3\n", 2)]
    [InlineData("a: 1\na: 2\n", 2)]
    public void Load_Malformed_ThrowsParseExceptionWithLine(string text, int line)
    {
        var e = Assert.Throws<ParseException>(() => YamlLoader.Load(text));
        Assert.InRange(e.Line, 1, line + 1);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void Bool_Yaml11Words_AreBooleans()
    {
        var doc = YamlLoader.Load("a: on\nb: false\nc: maybe\n")[0];
        Assert.True(doc.Bool("a"));
        Assert.False(doc.Bool("b"));
        Assert.Null(doc.Bool("c"));
    }
}
