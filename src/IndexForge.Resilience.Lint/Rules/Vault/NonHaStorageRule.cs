using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Vault;

/// <summary>VAULT009: file (or inmem) storage supports a single node: no standby, no failover.</summary>
public sealed class NonHaStorageRule : LintRule
{
    public override RuleInfo Info { get; } = new("VAULT009", Severity.Warning, "Vault",
        "storage without high availability", References.VaultFileStorage);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var file in set.VaultConfigs)
        foreach (var storage in file.Body.BlocksOf("storage").Concat(file.Body.BlocksOf("backend")))
        {
            if (storage.Label is not ("file" or "inmem") || file.Body.BlocksOf("ha_storage").Any()) continue;
            yield return Finding(file.File, storage.Line, $"storage \"{storage.Label}\" does not support high availability",
                "Only one Vault node can use it: there is no standby to take over, so any restart, seal or node loss makes every secret " +
                "unavailable until that one node is back and unsealed." + (storage.Label == "inmem" ? " inmem also loses all data on restart." : ""),
                "Use integrated storage (storage \"raft\" with node_id and a persistent path) with three or five nodes.",
                storage.Label == "inmem" ? Severity.Error : null, storage.Label == "file" ? null : References.VaultRaftStorage);
        }
    }
}
