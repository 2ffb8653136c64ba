using IndexForge.Resilience.Lint.Promql;
using Xunit;

namespace IndexForge.Resilience.Lint.Tests.Promql;

public sealed class PromQlTests
{
    [Fact]
    public void Selectors_IgnoreFunctionsKeywordsLabelsAndDurations()
    {
        var expr = """sum by (destination_service) (rate(istio_requests_total{reporter="destination", response_code=~"5.."}[5m])) / on(job) group_left sum(rate(istio_requests_total[1h5m])) > 0.05 and up{job="vault"} offset 5m""";
        var names = PromQl.MetricNames(expr);
        Assert.Equal(["istio_requests_total", "up"], names);
        var matcher = PromQl.Selectors(expr)[0].On("response_code").Single();
        Assert.True(matcher.Accepts("503"));
        Assert.False(matcher.Accepts("404"));
        Assert.False(matcher.Accepts("5030"));  // PromQL regexes are anchored
    }

    [Fact]
    public void Groupings_ByClauseBeforeOrAfterArguments()
    {
        Assert.Equal(["le"], PromQl.Groupings("sum by (le) (rate(x_bucket[5m]))").Single().Labels);
        Assert.Equal(["le", "job"], PromQl.Groupings("sum(rate(x_bucket[5m])) by (le, job)").Single().Labels);
        Assert.Equal("none", PromQl.Groupings("sum(rate(x[5m]))").Single().Mode);
    }

    [Fact]
    public void SplitArguments_TopLevelCommasOnly() =>
        Assert.Equal(["0.95", "sum by (le, job) (rate(x{a=\"1,2\"}[5m]))"], PromQl.SplitArguments("0.95, sum by (le, job) (rate(x{a=\"1,2\"}[5m]))"));

    [Fact]
    public void HasDivision_IgnoresSlashesInStrings()
    {
        Assert.False(PromQl.HasDivision("""up{path="/v1/sys"} == 0"""));
        Assert.True(PromQl.HasDivision("a / b"));
    }
}
