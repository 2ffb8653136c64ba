using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Vault;

/// <summary>VAULT001: VAULT_DEV_* settings apply only to `vault server -dev`; -dev itself is not for keeping secrets.</summary>
public sealed class DevModeSettingsRule : LintRule
{
    public override RuleInfo Info { get; } = new("VAULT001", Severity.Warning, "Vault",
        "dev-mode settings", References.VaultDevServer);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var service in VaultModel.VaultServices(set))
        {
            if (VaultModel.DevMode(service))
            {
                yield return Finding(service.File, service.LineOf("command"), $"compose service {service.Name} runs vault server -dev",
                    "Dev mode keeps everything in memory, starts unsealed with a known root token and listens without TLS: every secret is " +
                    "lost on restart and anyone reaching the port is root.",
                    "Run `server` with a configuration file (storage, TLS listener, seal) instead of -dev.", Severity.Error);
                continue;
            }
            foreach (var (key, _) in service.Environment().Where(e => e.Key.StartsWith("VAULT_DEV_", StringComparison.Ordinal)))
                yield return Finding(service.File, service.LineOf("environment", key),
                    $"compose service {service.Name}: {key} is set but Vault runs in server mode",
                    $"{key} is read only by `vault server -dev`. Here it is ignored: there is no root token with that value (the real one comes " +
                    "from `vault operator init`), and anyone relying on it — scripts, the rotation job — fails with permission denied.",
                    $"Remove {key}; initialise Vault with `vault operator init` and keep the unseal keys and root token out of the environment.");
        }
    }
}
