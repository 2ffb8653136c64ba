using IndexForge.Resilience.Core.Results;
using Xunit;
using static IndexForge.Resilience.Lint.Tests.LintHarness;

namespace IndexForge.Resilience.Lint.Tests.Rules;

public sealed class GeneralRulesTests
{
    [Fact]
    public void LINT001_MalformedYaml_ParseErrorWithLineWhileValidYamlHasNone()
    {
        var finding = Assert.Single(Findings("LINT001", Files(("istio/dr.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n  namespace: x\n"))));
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.InRange(finding.Line, 4, 6);
        Assert.Equal("istio/dr.yaml", finding.File);
        Assert.Empty(Findings("LINT001", Files(("istio/dr.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: ok\n"))));
    }

    [Fact]
    public void LINT001_MalformedHcl_ParseErrorWithLine()
    {
        var finding = Assert.Single(Findings("LINT001", Files(("vault/vault.hcl", "storage \"file\" {\n  path = \"/x\"\n}\nlistener \"tcp\" {\n  address = \"0.0.0.0:8200\n}\n"))));
        Assert.Equal(5, finding.Line);
        Assert.Contains("unterminated string", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LINT001_MissingFile_ParseErrorNotCrash()
    {
        var report = Linter.Lint(["/nonexistent/clusters/istio/x.yaml"], new LintOptions { OnlyRules = new HashSet<string> { "LINT001" } });
        Assert.Equal("LINT001", Assert.Single(report.Findings).RuleId);
        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public void LINT002_Fragment_ReportedWhileFullResourceIsNot()
    {
        Assert.Single(Findings("LINT002", Files(("kubernetes/sc.yaml", "securityContext:\n  runAsNonRoot: true\n"))));
        Assert.Empty(Findings("LINT002", Files(("kubernetes/sc.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"))));
    }

    [Fact]
    public void LINT003_ScalarDocument_ReportedWhileMappingIsNot()
    {
        Assert.Single(Findings("LINT003", Files(("istio/x.yaml", "just a string\n"))));
        Assert.Empty(Findings("LINT003", Files(("istio/x.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"))));
    }
}
