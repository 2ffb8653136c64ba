using IndexForge.Resilience.Core.Assertions.Threshold;
using Xunit;

namespace IndexForge.Resilience.Core.Tests.Assertions;

public class ThresholdExpressionTests
{
    [Theory]
    [InlineData("p(95) < 50ms", MetricKind.Latency, "<", 50)]
    [InlineData("p(99.9) <= 1s", MetricKind.Latency, "<=", 1000)]
    [InlineData("lag(99) < 2ms", MetricKind.Latency, "<", 2)]
    [InlineData("avg < 500us", MetricKind.Latency, "<", 0.5)]
    [InlineData("rate(failed) == 0", MetricKind.Rate, "==", 0)]
    [InlineData("rate(status:503) <= 1%", MetricKind.Rate, "<=", 0.01)]
    [InlineData("rate(error:mesh-overflow) > 0", MetricKind.Rate, ">", 0)]
    [InlineData("count(requests) >= 100", MetricKind.Count, ">=", 100)]
    [InlineData("rps >= 190", MetricKind.PerSecond, ">=", 190)]
    public void Parse_Grammar_YieldsMetricOperatorAndValue(string text, MetricKind kind, string op, double value)
    {
        var e = ThresholdExpression.Parse(text);
        Assert.Equal(kind, e.Metric.Kind);
        Assert.Equal(op, e.Operator);
        Assert.Equal(value, e.Value, 9);
    }

    [Theory]
    [InlineData("p(95) < 50", "give a unit")]
    [InlineData("rate(failed) < 5ms", "fraction")]
    [InlineData("rate(failed) < 2", "between 0 and 1")]
    [InlineData("p(0) < 1ms", "percentile")]
    [InlineData("rate(faild) == 0", "did you mean 'failed'")]
    [InlineData("rate(error:boom) == 0", "error classes")]
    [InlineData("latency < 5ms", "unknown metric")]
    [InlineData("p(95) is small", "form 'metric op value'")]
    [InlineData("rps > 5%", "no unit")]
    public void TryParse_Mistakes_ExplainThemselves(string text, string fragment)
    {
        Assert.False(ThresholdExpression.TryParse(text, out _, out var error));
        Assert.Contains(fragment, error);
    }

    [Theory]
    [InlineData("<", 1, 2, true)]
    [InlineData("<", 2, 2, false)]
    [InlineData("<=", 2, 2, true)]
    [InlineData(">", 3, 2, true)]
    [InlineData(">=", 1, 2, false)]
    [InlineData("==", 0, 0, true)]
    [InlineData("!=", 0, 0, false)]
    public void Holds_ComparesObservedWithValue(string op, double observed, double value, bool holds)
    {
        var e = ThresholdExpression.Parse($"count(failed) {op} {value}");
        Assert.Equal(holds, e.Holds(observed));
    }
}
