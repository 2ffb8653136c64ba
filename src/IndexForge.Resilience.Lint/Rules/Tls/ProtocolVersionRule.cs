using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Tls;

/// <summary>TLS001: SSL 3, TLS 1.0 and 1.1 are deprecated (RFC 8996) and broken in practice.</summary>
public sealed class ProtocolVersionRule : LintRule
{
    public override RuleInfo Info { get; } = new("TLS001", Severity.Error, "TLS", "obsolete TLS protocol enabled", References.EnvoyTls);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var server in TlsModel.Servers(set))
        {
            var weak = server.Protocols.Where(p => TlsModel.WeakProtocols.Contains(p, StringComparer.OrdinalIgnoreCase)).ToList();
            if (weak.Count == 0) continue;
            yield return Finding(server.File, server.Line, $"{server.Where}: accepts {string.Join(", ", weak)}",
                "TLS 1.0/1.1 were deprecated by RFC 8996 (BEAST, SHA-1 handshake MACs); a client or attacker can negotiate down to them, " +
                "and compliance scans fail the endpoint. Envoy, Istio and Vault default to a TLS 1.2 minimum for this reason.",
                "Allow TLSv1.2 and TLSv1.3 only.");
        }
    }
}
