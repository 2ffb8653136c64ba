using IndexForge.Resilience.Core.Scenarios;
using Xunit;

namespace IndexForge.Resilience.Core.Tests.Scenarios;

public class DurationsTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("500ms", 500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("250us", 0.25)]
    public void TryParse_IstioStyleDurations_Parse(string text, double milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(milliseconds, value.TotalMilliseconds, 6);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("s")]
    [InlineData("30 seconds")]
    [InlineData("-1s")]
    [InlineData("")]
    public void TryParse_NotADuration_Fails(string text) => Assert.False(Durations.TryParse(text, out _));

    [Theory]
    [InlineData(1_500, "1.5s")]
    [InlineData(250, "250ms")]
    [InlineData(120_000, "2m")]
    [InlineData(0, "0s")]
    public void Format_RoundTripsThroughParse(double milliseconds, string expected)
    {
        var text = Durations.Format(TimeSpan.FromMilliseconds(milliseconds));
        Assert.Equal(expected, text);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Durations.Parse(text));
    }
}
