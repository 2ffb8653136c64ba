using IndexForge.Resilience.Core.Assertions;
using IndexForge.Resilience.Core.Assertions.Refused;
using IndexForge.Resilience.Core.Results;
using Xunit;
using static IndexForge.Resilience.Core.Tests.Assertions.AssertionFixture;

namespace IndexForge.Resilience.Core.Tests.Assertions.Refused;

public class RefusedEvaluatorTests
{
    private static RefusedOptions Options(string? reason = null) => new() { Name = "refused", Type = AssertionTypes.Refused, Probe = "probe", Reason = reason };

    private static AssertionContext With(Dictionary<string, string> details, string? error = null) =>
        new AssertionFixture().Windows(3, 10, Replicas).Fault("probe", "plaintext-probe", "us-west-1", 1, 1, details, error).Context();

    [Fact]
    public void Evaluate_ProbeRefusedForTheExpectedReason_Passes()
    {
        var r = Evaluate(Options("tls-handshake"), With(new() { ["refused"] = "true", ["reason"] = "tls-handshake", ["evidence"] = "connection reset after ClientHello" }));
        Assert.Equal(Verdict.Pass, r.Verdict);
    }

    [Fact]
    public void Evaluate_ProbeGotThrough_FailsWithEvidence()
    {
        var r = Evaluate(Options(), With(new() { ["refused"] = "false", ["reason"] = "http-200", ["evidence"] = "HTTP 200 from us-west-1 over plaintext" }));
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("HTTP 200 from us-west-1", r.Message);
    }

    [Fact]
    public void Evaluate_RefusedForAnotherReason_Fails()
    {
        var r = Evaluate(Options("no-client-certificate"), With(new() { ["refused"] = "true", ["reason"] = "http-403" }));
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains("rather than 'no-client-certificate'", r.Message);
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData(null)]
    public void Evaluate_UnknownOutcome_IsSkippedNeverPassed(string? refused)
    {
        var details = new Dictionary<string, string> { ["reason"] = "openssl is not installed (apt-get install openssl)" };
        if (refused is not null) details["refused"] = refused;
        var r = Evaluate(Options(), With(details));
        Assert.Equal(Verdict.Skipped, r.Verdict);
        Assert.Contains("openssl is not installed", r.Message);
    }

    [Fact]
    public void Evaluate_ProbeErroredOrMissing_IsAnError()
    {
        Assert.Equal(Verdict.Error, Evaluate(Options(), With([], error: "no replica to probe")).Verdict);
        Assert.Equal(Verdict.Error, Evaluate(Options() with { Probe = "other" }, With([])).Verdict);
    }
}
