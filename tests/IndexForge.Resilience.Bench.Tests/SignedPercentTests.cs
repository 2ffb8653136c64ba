using Xunit;

namespace IndexForge.Resilience.Bench.Tests;

public sealed class SignedPercentTests
{
    [Theory]
    [InlineData(-0.0004, 1, "+0.0%")] // a negative that rounds to zero printed "-+0.0%" before (seen in a full test run)
    [InlineData(-0.0, 1, "+0.0%")]
    [InlineData(0.0, 2, "+0.00%")]
    [InlineData(0.00004, 2, "+0.00%")]
    [InlineData(-0.0006, 1, "-0.1%")]
    [InlineData(0.12, 1, "+12.0%")]
    [InlineData(-0.5, 0, "-50%")]
    public void Format_SignedWithOneSignOnly(double fraction, int decimals, string expected) =>
        Assert.Equal(expected, SignedPercent.Format(fraction, decimals));
}
