using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Vault;

/// <summary>
/// VAULT005: the image's entrypoint already runs `vault server -config=/vault/config`; adding
/// -config=/vault/config/vault.hcl loads the same file twice and the second tcp listener cannot bind.
/// </summary>
public sealed class DuplicateConfigLoadRule : LintRule
{
    public override RuleInfo Info { get; } = new("VAULT005", Severity.Error, "Vault",
        "configuration loaded twice by the image entrypoint", References.VaultDockerEntrypoint);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var service in VaultModel.VaultServices(set))
        {
            if (service.Node.Get("entrypoint") is not null || !VaultModel.RunsServer(service)) continue;
            var args = service.Command();
            var configs = new List<string>();
            for (var i = 0; i < args.Count; i++)
            {
                if (args[i].StartsWith("-config=", StringComparison.Ordinal)) configs.Add(args[i]["-config=".Length..]);
                else if (args[i] == "-config" && i + 1 < args.Count) configs.Add(args[++i]);
            }
            var inside = configs.Where(c => c.TrimEnd('/').StartsWith("/vault/config", StringComparison.Ordinal)).ToList();
            if (inside.Count == 0) continue;
            yield return Finding(service.File, service.LineOf("command"),
                $"compose service {service.Name}: command adds -config={inside[0]} although the entrypoint already loads /vault/config",
                "The image's docker-entrypoint.sh turns `server ...` into `vault server -config=/vault/config ... -config=" + inside[0] + "`; " +
                "Vault loads the file twice, appends both tcp listeners and exits with \"listen tcp 0.0.0.0:8200: bind: address already in use\" (hashicorp/docker-vault#229).",
                "Use `command: server` and mount the configuration into /vault/config (or override entrypoint and call vault server yourself).");
        }
    }
}
