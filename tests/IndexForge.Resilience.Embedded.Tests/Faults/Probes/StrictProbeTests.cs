using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Faults.ExpiredCertProbe;
using IndexForge.Resilience.Core.Faults.ForeignCaProbe;
using IndexForge.Resilience.Core.Faults.PlaintextProbe;
using IndexForge.Resilience.Core.Faults.TlsVersionProbe;
using IndexForge.Resilience.Core.Faults.UnauthorizedSourceProbe;
using IndexForge.Resilience.Core.Faults.WeakCipherProbe;
using IndexForge.Resilience.Testing;
using Xunit;
using Xunit.Abstractions;

namespace IndexForge.Resilience.Embedded.Tests.Faults.Probes;

/// <summary>Under hardened-fast (STRICT mTLS, caller-only AuthorizationPolicy) every probe is refused, for its own reason.</summary>
[Collection(HardenedCollection.Name)]
public sealed class StrictProbeTests(HardenedFixture env, ITestOutputHelper output)
{
    private static string Describe(IActiveFault f) => string.Join("; ", f.Details.Select(kv => $"{kv.Key}={kv.Value}"));

    private static void AssertRefused(IActiveFault fault, string reason, string evidence)
    {
        Assert.True(fault.Details["refused"] == "true", Describe(fault));
        Assert.True(fault.Details["reason"] == reason, Describe(fault));
        Assert.Contains(evidence, fault.Details["evidence"]);
        Assert.Equal("us-west-1", fault.Details["target"]); // the caller region's first replica by default
    }

    [Fact]
    public async Task PlaintextProbe_Strict_RefusedAtTheListener()
    {
        var fault = await env.InjectAsync(FaultTypes.PlaintextProbe, new PlaintextProbeOptions());
        output.WriteLine(Describe(fault));
        AssertRefused(fault, "plaintext-rejected", "envoy_listener_no_filter_chain_match +1");
    }

    [Fact]
    public async Task ForeignCaProbe_Strict_RefusedAsUntrusted()
    {
        var fault = await env.InjectAsync(FaultTypes.ForeignCaProbe, new ForeignCaProbeOptions());
        output.WriteLine(Describe(fault));
        AssertRefused(fault, "untrusted-certificate", "envoy_listener_ssl_fail_verify_error +1");
    }

    [Fact]
    public async Task ExpiredCertProbe_Strict_RefusedAsExpired()
    {
        var fault = await env.InjectAsync(FaultTypes.ExpiredCertProbe, new ExpiredCertProbeOptions());
        output.WriteLine(Describe(fault));
        AssertRefused(fault, "certificate-expired", "envoy_listener_ssl_fail_verify_error +1");
    }

    [Fact]
    public async Task UnauthorizedSourceProbe_Strict_RbacDenied()
    {
        var fault = await env.InjectAsync(FaultTypes.UnauthorizedSourceProbe, new UnauthorizedSourceProbeOptions { Replica = "us-east-1" });
        output.WriteLine(Describe(fault));
        Assert.True(fault.Details["refused"] == "true", Describe(fault));
        Assert.Equal("http-403", fault.Details["reason"]);
        Assert.Contains("HTTP 403", fault.Details["evidence"]);
        Assert.Contains("rbac denied +1", fault.Details["evidence"]);
        Assert.Equal("us-east-1", fault.Details["target"]);
    }

    [RequiresToolFact("openssl")]
    public async Task TlsVersionProbe_Tls11_RefusedForItsVersion()
    {
        var fault = await env.InjectAsync(FaultTypes.TlsVersionProbe, new TlsVersionProbeOptions { Version = "1.1" });
        output.WriteLine(Describe(fault));
        AssertRefused(fault, "protocol-version", "envoy_listener_ssl_connection_error +1 (ProtocolVersion)");
    }

    [RequiresToolFact("openssl")]
    public async Task TlsVersionProbe_Tls10_RefusedForItsVersion()
    {
        var fault = await env.InjectAsync(FaultTypes.TlsVersionProbe, new TlsVersionProbeOptions { Version = "1.0" });
        output.WriteLine(Describe(fault));
        AssertRefused(fault, "protocol-version", "(ProtocolVersion)");
    }

    /// <summary>Negative control of the TLS path the certificate probes share: a valid certificate over TLS 1.2 is served.</summary>
    [Fact]
    public async Task TlsVersionProbe_Tls12_NotRefused()
    {
        var fault = await env.InjectAsync(FaultTypes.TlsVersionProbe, new TlsVersionProbeOptions { Version = "1.2" });
        output.WriteLine(Describe(fault));
        Assert.True(fault.Details["refused"] == "false", Describe(fault));
        Assert.Equal("accepted", fault.Details["reason"]);
        Assert.Contains("HTTP 200", fault.Details["evidence"]);
    }

    [RequiresToolFact("openssl")]
    public async Task WeakCipherProbe_Aes128Sha_CipherRejected()
    {
        var fault = await env.InjectAsync(FaultTypes.WeakCipherProbe, new WeakCipherProbeOptions { Cipher = "AES128-SHA" });
        output.WriteLine(Describe(fault));
        AssertRefused(fault, "cipher-rejected", "(HandshakeFailed)");
        Assert.Contains("openssl exit", fault.Details["evidence"]);
    }

    /// <summary>Negative control of the openssl path: a strong cipher is served, and the probe says so.</summary>
    [RequiresToolFact("openssl")]
    public async Task WeakCipherProbe_StrongCipher_NotRefused()
    {
        var fault = await env.InjectAsync(FaultTypes.WeakCipherProbe, new WeakCipherProbeOptions { Cipher = "ECDHE-ECDSA-AES128-GCM-SHA256" });
        output.WriteLine(Describe(fault));
        Assert.True(fault.Details["refused"] == "false", Describe(fault));
        Assert.Contains("HTTP/1.1 200", fault.Details["evidence"]);
    }
}
