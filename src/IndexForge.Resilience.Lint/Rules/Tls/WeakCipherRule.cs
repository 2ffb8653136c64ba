using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Tls;

/// <summary>TLS002: broken suites (RC4, 3DES, NULL, EXPORT, anonymous) and weak ones (CBC, static RSA key exchange).</summary>
public sealed class WeakCipherRule : LintRule
{
    public override RuleInfo Info { get; } = new("TLS002", Severity.Warning, "TLS", "weak cipher suites", References.TlsRecommendations);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var server in TlsModel.Servers(set))
        {
            var infos = server.Ciphers.Select(TlsModel.Classify).ToList();
            var broken = infos.Where(c => c.Broken).Select(c => c.Name).ToList();
            var weak = infos.Where(c => !c.Broken && (c.Cbc || !c.ForwardSecret)).Select(c => c.Name).ToList();
            if (broken.Count > 0)
                yield return Finding(server.File, server.CiphersLine, $"{server.Where}: broken cipher suites {string.Join(", ", broken)}",
                    "RC4, (3)DES, NULL, EXPORT and anonymous suites are practically breakable (Sweet32, RC4 biases, no authentication); " +
                    "RFC 9325 forbids them.", "Remove them; keep ECDHE with AES-GCM or ChaCha20-Poly1305.", Severity.Error);
            if (weak.Count > 0)
                yield return Finding(server.File, server.CiphersLine, $"{server.Where}: weak cipher suites {string.Join(", ", weak)}",
                    "CBC suites have a history of padding-oracle attacks (Lucky13) and suites without ECDHE/DHE use static RSA key exchange: " +
                    "no forward secrecy, so one leaked key decrypts all recorded traffic. RFC 9325 recommends only ephemeral AEAD suites.",
                    "Use ECDHE-ECDSA/RSA-AES128-GCM-SHA256, -AES256-GCM-SHA384 and -CHACHA20-POLY1305 (plus TLS 1.3).");
        }
    }
}
