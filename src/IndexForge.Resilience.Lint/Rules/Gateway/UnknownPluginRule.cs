using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Gateway;

/// <summary>KONG003: a plugin name Kong does not bundle; declarative config with it is rejected.</summary>
public sealed class UnknownPluginRule : LintRule
{
    /// <summary>Plugins bundled with Kong Gateway (OSS) 3.x.</summary>
    private static readonly HashSet<string> Bundled = new(StringComparer.Ordinal)
    {
        "acl", "acme", "ai-proxy", "ai-prompt-decorator", "ai-prompt-guard", "ai-prompt-template", "ai-request-transformer", "ai-response-transformer",
        "aws-lambda", "azure-functions", "basic-auth", "bot-detection", "correlation-id", "cors", "datadog", "file-log", "grpc-gateway", "grpc-web",
        "hmac-auth", "http-log", "ip-restriction", "jwt", "key-auth", "ldap-auth", "loggly", "oauth2", "opentelemetry", "post-function",
        "pre-function", "prometheus", "proxy-cache", "rate-limiting", "redirect", "request-size-limiting", "request-termination",
        "request-transformer", "response-ratelimiting", "response-transformer", "session", "standard-webhooks", "statsd", "syslog",
        "tcp-log", "udp-log", "zipkin",
    };

    public override RuleInfo Info { get; } = new("KONG003", Severity.Error, "Gateway", "unknown Kong plugin", References.KongPlugins);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var gw in set.GatewayFiles)
        foreach (var plugin in gw.Root.Seq("plugins").Items())
        {
            if (plugin.Str("name") is not { } name || Bundled.Contains(name)) continue;
            var config = string.Join(", ", plugin.Get("config").Entries().Select(e => e.Key));
            yield return Finding(gw.File, plugin.Line(), $"plugin \"{name}\" is not a Kong plugin" + (config.Length > 0 ? $" (config keys: {config})" : ""),
                $"Kong refuses to load the configuration (\"plugin '{name}' not enabled; add it to the 'plugins' configuration property\"), " +
                "so the gateway does not start with it — and no circuit breaking happens. Kong's circuit breaking is the upstream's passive health check.",
                "Use an upstream with healthchecks.passive.unhealthy (http_failures, timeouts) plus healthchecks.active so ejected targets come back.",
                reference: name.Contains("circuit", StringComparison.Ordinal) ? References.KongHealthChecks : null);
        }
    }
}
