using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Gateway;

/// <summary>KONG002: Kong has no `http2` property; HTTP/2 is a flag of each proxy_listen address.</summary>
public sealed class Http2PropertyRule : LintRule
{
    public override RuleInfo Info { get; } = new("KONG002", Severity.Warning, "Gateway",
        "http2 is not a Kong property", References.KongProxyListen);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var gw in set.GatewayFiles.Where(g => g.Root.Has("http2")))
            yield return Finding(gw.File, gw.Root.LineOf(gw.Root.Line(), "http2"), $"http2: {gw.Root.Str("http2")} is not a Kong configuration property",
                "Kong does not read it (it resembles nginx's own `http2 on;` directive); whether HTTP/2 is served depends on proxy_listen, " +
                "whose default enables http2 only on the 8443 ssl listener.",
                "Declare it on the listener: proxy_listen: 0.0.0.0:8443 http2 ssl.");
    }
}
