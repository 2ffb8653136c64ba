using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.ExpiredCertProbe;
using IndexForge.Resilience.Core.Faults.ForeignCaProbe;
using IndexForge.Resilience.Core.Faults.PlaintextProbe;
using IndexForge.Resilience.Core.Faults.UnauthorizedSourceProbe;
using Xunit;
using Xunit.Abstractions;

namespace IndexForge.Resilience.Embedded.Tests.Faults.Probes;

/// <summary>
/// Negative controls: PERMISSIVE mTLS and no AuthorizationPolicy. Plaintext and an unlisted identity
/// get through and the probes say so. A TLS client certificate is still verified under PERMISSIVE
/// (as Istio does), so the certificate probes stay refused here; their "not refused" control is the
/// shared TLS path with a valid certificate (StrictProbeTests.TlsVersionProbe_Tls12_NotRefused).
/// </summary>
[Collection(PermissiveCollection.Name)]
public sealed class PermissiveProbeTests(PermissiveFixture env, ITestOutputHelper output)
{
    private static string Describe(IActiveFault f) => string.Join("; ", f.Details.Select(kv => $"{kv.Key}={kv.Value}"));

    [Fact]
    public async Task PlaintextProbe_Permissive_NotRefused()
    {
        var fault = await env.InjectAsync(FaultTypes.PlaintextProbe, new PlaintextProbeOptions());
        output.WriteLine(Describe(fault));
        Assert.True(fault.Details["refused"] == "false", Describe(fault));
        Assert.Equal("accepted", fault.Details["reason"]);
        Assert.Contains("HTTP 200", fault.Details["evidence"]);
        Assert.Equal("PERMISSIVE", fault.Details["mtlsMode"]);
    }

    [Fact]
    public async Task UnauthorizedSourceProbe_NoAuthorizationPolicy_NotRefused()
    {
        var fault = await env.InjectAsync(FaultTypes.UnauthorizedSourceProbe, new UnauthorizedSourceProbeOptions());
        output.WriteLine(Describe(fault));
        Assert.True(fault.Details["refused"] == "false", Describe(fault));
        Assert.Contains("HTTP 200", fault.Details["evidence"]);
        Assert.Equal("0", fault.Details["authorizationPolicies"]);
    }

    [Fact]
    public async Task CertificateProbes_Permissive_StillRefusedAtTheHandshake()
    {
        var foreign = await env.InjectAsync(FaultTypes.ForeignCaProbe, new ForeignCaProbeOptions());
        output.WriteLine(Describe(foreign));
        var expired = await env.InjectAsync(FaultTypes.ExpiredCertProbe, new ExpiredCertProbeOptions());
        output.WriteLine(Describe(expired));
        Assert.True(foreign.Details["reason"] == "untrusted-certificate", Describe(foreign));
        Assert.True(expired.Details["reason"] == "certificate-expired", Describe(expired));
    }
}
