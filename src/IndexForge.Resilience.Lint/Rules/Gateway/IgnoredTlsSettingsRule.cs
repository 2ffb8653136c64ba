using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Gateway;

/// <summary>KONG001: Kong ignores ssl_ciphers and ssl_protocols unless ssl_cipher_suite is custom.</summary>
public sealed class IgnoredTlsSettingsRule : LintRule
{
    public override RuleInfo Info { get; } = new("KONG001", Severity.Warning, "Gateway",
        "Kong TLS settings ignored without ssl_cipher_suite = custom", References.KongSslCipherSuite);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var gw in set.GatewayFiles)
        {
            var suite = gw.Root.Str("ssl_cipher_suite");
            if (suite == "custom") continue;
            var ignored = new[] { "ssl_ciphers", "ssl_protocols", "ssl_prefer_server_ciphers" }.Where(k => gw.Root.Has(k)).ToList();
            if (ignored.Count == 0) continue;
            yield return Finding(gw.File, gw.Root.LineOf(gw.Root.Line(), ignored[0]),
                $"{string.Join(", ", ignored)} set while ssl_cipher_suite is {suite ?? "unset (intermediate)"}",
                $"Kong documents these values as ignored unless ssl_cipher_suite is custom: the gateway serves Mozilla's {suite ?? "intermediate"} " +
                "profile, not the list written here, so the configuration under review is not the one in production.",
                "Add ssl_cipher_suite: custom (or delete the ignored keys and rely on the named profile).");
        }
    }
}
