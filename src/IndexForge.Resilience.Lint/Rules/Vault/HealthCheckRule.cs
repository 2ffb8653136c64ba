using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Vault;

/// <summary>
/// VAULT004: a Vault health check must report sealed (and uninitialised) as unhealthy and a standby as
/// healthy. `vault status` gets that right (exit 0 active or standby, 2 sealed, 1 error) but only if it can
/// reach and verify the listener; /v1/sys/health needs standbyok=true, and curl needs --fail.
/// </summary>
public sealed class HealthCheckRule : LintRule
{
    public override RuleInfo Info { get; } = new("VAULT004", Severity.Error, "Vault",
        "health check misreports sealed or standby Vault", References.VaultHealthApi);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        var tls = VaultModel.TlsEnabled(set);
        foreach (var service in VaultModel.VaultServices(set))
        {
            var test = service.Node.Get("healthcheck", "test");
            if (test is null)
            {
                yield return Finding(service.File, service.Line, $"compose service {service.Name} has no healthcheck",
                    "Nothing reports a sealed Vault: the container stays \"running\" while every secret read fails with 503.",
                    "Add a healthcheck on /v1/sys/health?standbyok=true (sealed → 503, standby → 200).", Severity.Warning);
                continue;
            }
            var words = test.Strings().ToList();
            if (words.Count > 0 && words[0] is "CMD" or "CMD-SHELL" or "NONE") words.RemoveAt(0);
            var command = string.Join(" ", words);
            var line = service.LineOf("healthcheck", "test");
            var env = service.Environment();
            foreach (var problem in Problems(command, tls, env))
                yield return Finding(service.File, line, $"compose service {service.Name}: healthcheck `{command}` {problem.What}", problem.Why, problem.Fix);
        }
    }

    private static IEnumerable<(string What, string Why, string Fix)> Problems(string command, bool tls, IReadOnlyDictionary<string, string> env)
    {
        const string healthFix = "Probe `https://127.0.0.1:8200/v1/sys/health?standbyok=true` with a client that fails on HTTP errors (wget, curl --fail) or run " +
                                 "`vault status` with VAULT_ADDR and VAULT_CACERT set: sealed → unhealthy, standby → healthy.";
        if (command.Contains("|| true", StringComparison.Ordinal) || command.Contains("|| exit 0", StringComparison.Ordinal))
            yield return ("always succeeds", "`|| true` turns every failure into success, so a sealed or crashed Vault is reported healthy.", healthFix);
        if (command.Contains("sys/seal-status", StringComparison.Ordinal) || command.Contains("sys/leader", StringComparison.Ordinal))
            yield return ("answers 200 while sealed", "/v1/sys/seal-status and /v1/sys/leader return 200 whether or not Vault is sealed; they report state, not health.", healthFix);

        if (command.Contains("vault status", StringComparison.Ordinal))
        {
            env.TryGetValue("VAULT_ADDR", out var addr);
            var trusts = env.ContainsKey("VAULT_CACERT") || env.ContainsKey("VAULT_CAPATH") || env.ContainsKey("VAULT_SKIP_VERIFY") ||
                         command.Contains("-ca-cert", StringComparison.Ordinal) || command.Contains("-tls-skip-verify", StringComparison.Ordinal);
            if (tls && !trusts)
                yield return ("cannot verify the listener's certificate",
                    "`vault status` exits 0 for active and standby and 2 for sealed, which is right; but inside the container it calls " +
                    $"{addr ?? "https://127.0.0.1:8200 (the CLI default)"} and has no CA to verify a certificate issued for the public name, " +
                    "so it exits 1 (x509 error) on a perfectly healthy Vault: the container is always unhealthy and depends_on: service_healthy never starts.",
                    "Set VAULT_ADDR to a name in the certificate and VAULT_CACERT to the CA file (or probe /v1/sys/health?standbyok=true).");
            else if (!tls && (addr is null || addr.StartsWith("https", StringComparison.Ordinal)))
                yield return ("speaks HTTPS to a plain-HTTP listener",
                    "The CLI defaults to https://127.0.0.1:8200; against a tls_disable listener it fails (\"server gave HTTP response to HTTPS client\") every time.",
                    "Set VAULT_ADDR=http://127.0.0.1:8200 for the health check.");
            yield break;
        }

        if (command.Contains("sys/health", StringComparison.Ordinal))
        {
            if (!command.Contains("standbyok=true", StringComparison.Ordinal) && !command.Contains("perfstandbyok=true", StringComparison.Ordinal))
                yield return ("reports a standby as down",
                    "/v1/sys/health answers 429 on a standby node; any non-2xx fails the check, so healthy standbys are restarted or taken out of rotation.",
                    "Add ?standbyok=true.");
            foreach (var code in new[] { "sealedcode", "uninitcode" })
                if (System.Text.RegularExpressions.Regex.IsMatch(command, code + @"=2\d\d"))
                    yield return ($"reports a {(code == "sealedcode" ? "sealed" : "uninitialised")} Vault as healthy",
                        $"{code}=2xx makes /v1/sys/health answer success when Vault cannot serve a single secret.", $"Remove {code}.");
            if (command.Contains("curl", StringComparison.Ordinal) && !System.Text.RegularExpressions.Regex.IsMatch(command, @"(^|\s)(-f|--fail|-[a-zA-Z]*f[a-zA-Z]*)(\s|$)"))
                yield return ("never fails",
                    "curl exits 0 for any HTTP answer, including 503 sealed; only --fail turns HTTP errors into a failing exit code.",
                    "Use curl --fail (or wget, which fails on HTTP errors).");
            if (tls && command.Contains("http://", StringComparison.Ordinal))
                yield return ("speaks plain HTTP to a TLS listener", "The TLS listener rejects the plain request, so the check always fails.", "Use https:// and trust Vault's CA.");
        }
    }
}
