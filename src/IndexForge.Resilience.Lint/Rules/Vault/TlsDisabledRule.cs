using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Vault;

/// <summary>VAULT007: a listener with tls_disable serves tokens and secrets in plain text.</summary>
public sealed class TlsDisabledRule : LintRule
{
    public override RuleInfo Info { get; } = new("VAULT007", Severity.Error, "Vault", "listener without TLS", References.VaultTcpListener);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var listener in VaultModel.Listeners(set).Where(l => l.TlsDisabled))
        {
            var attribute = listener.Block.Body.Attribute("tls_disable")!;
            if (listener.Address.StartsWith("127.0.0.1", StringComparison.Ordinal)) continue; // loopback-only, e.g. a local agent
            yield return Finding(listener.File.File, attribute.Line, $"listener \"tcp\" {listener.Address}: tls_disable = {attribute.Value.Text}",
                "Tokens travel in the X-Vault-Token header and secrets in response bodies; without TLS anyone on the path reads both.",
                "Remove tls_disable and set tls_cert_file / tls_key_file (tls_min_version = \"tls12\").");
        }
    }
}
