using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Tls;

/// <summary>TLS003: HTTP/2 over TLS 1.2 prohibits non-AEAD and non-ephemeral suites (RFC 7540 §9.2.2, Appendix A).</summary>
public sealed class Http2CipherRule : LintRule
{
    private const string Mandatory = "ECDHE-RSA-AES128-GCM-SHA256";

    public override RuleInfo Info { get; } = new("TLS003", Severity.Warning, "TLS", "HTTP/2 with prohibited cipher suites", References.Http2CipherBlacklist);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var server in TlsModel.Servers(set).Where(s => s.Http2 && s.Ciphers.Count > 0))
        {
            var prohibited = server.Ciphers.Select(TlsModel.Classify).Where(c => c.Http2Prohibited).Select(c => c.Name).ToList();
            if (prohibited.Count > 0)
                yield return Finding(server.File, server.CiphersLine, $"{server.Where}: HTTP/2 is on and {string.Join(", ", prohibited)} are on RFC 7540's prohibited list",
                    "If a client negotiates one of these with TLS 1.2, HTTP/2 peers abort the connection with INADEQUATE_SECURITY: browsers " +
                    "and gRPC clients fail intermittently depending on their own cipher order.",
                    "Offer only ECDHE + AEAD suites when HTTP/2 is enabled, preferring them over anything else.");
            var tls12 = server.Protocols.Any(p => p is "TLSv1.2");
            if (tls12 && !server.Ciphers.Any(c => c.Equals(Mandatory, StringComparison.OrdinalIgnoreCase) || c.Equals("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", StringComparison.OrdinalIgnoreCase)))
                yield return Finding(server.File, server.CiphersLine, $"{server.Where}: HTTP/2 over TLS 1.2 without {Mandatory}",
                    "RFC 7540 §9.2.2 makes TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 mandatory for HTTP/2 over TLS 1.2; clients limited to it cannot connect.",
                    $"Add {Mandatory}.");
        }
    }
}
