using IndexForge.Resilience.Lint.Parsing;
using Xunit;

namespace IndexForge.Resilience.Lint.Tests.Parsing;

public sealed class HclParserTests
{
    [Fact]
    public void Parse_VaultConfig_BlocksAttributesAndLines()
    {
        var body = HclParser.Parse("""
            # comment
            storage "file" {
              path = "/vault/file" // trailing
            }
            /* block
               comment */
            listener "tcp" {
              address     = "0.0.0.0:8200"
              tls_disable = 0
              telemetry {
                unauthenticated_metrics_access = true
              }
            }
            api_addr = "https://v:8200"
            list = ["a", "b",
              "c"]
            policy = <<EOT
            path "x" { capabilities = ["read"] }
            EOT
            """);
        var listener = Assert.Single(body.BlocksOf("listener"));
        Assert.Equal("tcp", listener.Label);
        Assert.Equal(7, listener.Line);
        Assert.Equal(false, listener.Body.Attribute("tls_disable")!.Value.AsBool());
        Assert.Equal(true, listener.Body.BlocksOf("telemetry").Single().Body.Attribute("unauthenticated_metrics_access")!.Value.AsBool());
        Assert.Equal("/vault/file", body.BlocksOf("storage").Single().Body.Str("path"));
        Assert.Equal(14, body.Attribute("api_addr")!.Line);
        Assert.Equal(3, body.Attribute("list")!.Value.Items.Count);
        Assert.Contains("capabilities", body.Str("policy"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("storage \"file\" {\n  path = \"/x\"\n", 3, "not closed")]
    [InlineData("a = \"unterminated\n", 1, "unterminated string")]
    [InlineData("a = 1\n}\n", 2, "unexpected '}'")]
    [InlineData("a = \n= 2\n", 1, "expected a value")]
    [InlineData("listener \"tcp\" address = 1\n", 1, "expected '=' or '{'")]
    public void Parse_Malformed_ThrowsWithLine(string text, int line, string message)
    {
        var e = Assert.Throws<ParseException>(() => HclParser.Parse(text));
        Assert.Equal(line, e.Line);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
