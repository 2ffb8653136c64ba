using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Vault;

/// <summary>VAULT006: api_addr and cluster_addr must agree with the listeners and the storage's HA support.</summary>
public sealed class AddressesRule : LintRule
{
    private static readonly HashSet<string> HaStorage = new(StringComparer.Ordinal)
        { "raft", "consul", "etcd", "zookeeper", "dynamodb", "spanner", "gcs", "postgresql", "mysql" };

    public override RuleInfo Info { get; } = new("VAULT006", Severity.Error, "Vault",
        "api_addr/cluster_addr inconsistent with the listener", References.VaultConfiguration);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var file in set.VaultConfigs)
        {
            var listeners = file.Body.BlocksOf("listener").Where(b => b.Label == "tcp").Select(b => new VaultListener(file, b)).ToList();
            if (listeners.Count == 0) continue;
            var anyTls = listeners.Any(l => !l.TlsDisabled);
            if (file.Body.Attribute("api_addr") is { } api && Uri.TryCreate(api.Value.Text, UriKind.Absolute, out var apiUri))
            {
                if (apiUri.Scheme == "https" && !anyTls)
                    yield return Finding(file.File, api.Line, $"api_addr {api.Value.Text} is https but every listener has TLS disabled",
                        "Vault advertises api_addr to clients (standby redirects, HCP/UI links); they are sent to an https URL that only speaks HTTP.",
                        "Enable TLS on the listener (preferred) or make api_addr match.");
                if (apiUri.Scheme == "http" && anyTls)
                    yield return Finding(file.File, api.Line, $"api_addr {api.Value.Text} is http but the listener serves TLS",
                        "Redirected clients speak HTTP to a TLS port and fail.", "Use https:// in api_addr.");
                if (listeners.All(l => l.Port != apiUri.Port))
                    yield return Finding(file.File, api.Line, $"api_addr port {apiUri.Port} matches no listener ({string.Join(", ", listeners.Select(l => l.Address))})",
                        "Clients redirected to api_addr reach nothing unless a proxy maps the port.", "Use the listener's port.", Severity.Warning);
            }
            if (file.Body.Attribute("cluster_addr") is { } cluster && Uri.TryCreate(cluster.Value.Text, UriKind.Absolute, out var clusterUri))
            {
                if (listeners.Any(l => l.Port == clusterUri.Port))
                    yield return Finding(file.File, cluster.Line, $"cluster_addr port {clusterUri.Port} is an API listener port",
                        "Cluster (request forwarding, raft) traffic is mTLS on its own port (the listener port + 1 by default); sharing the API port breaks both.",
                        "Use the listener's cluster_address port (default 8201).");
                var storage = file.Body.BlocksOf("storage").FirstOrDefault()?.Label;
                var haStorage = file.Body.BlocksOf("ha_storage").Any() || (storage is not null && HaStorage.Contains(storage));
                if (!haStorage)
                    yield return Finding(file.File, cluster.Line, $"cluster_addr is set but storage \"{storage}\" has no HA",
                        "cluster_addr is used only for HA request forwarding and raft; with a single-node storage backend it does nothing, " +
                        "and it suggests a cluster that does not exist.",
                        "Use HA storage (integrated raft) if you mean to run standbys, or drop cluster_addr.", Severity.Info);
            }
        }
    }
}
