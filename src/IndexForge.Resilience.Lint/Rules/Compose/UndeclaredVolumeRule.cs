using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;

namespace IndexForge.Resilience.Lint.Rules.Compose;

/// <summary>COMPOSE001: a named volume used by a service but not declared under top-level volumes.</summary>
public sealed class UndeclaredVolumeRule : LintRule
{
    public override RuleInfo Info { get; } = new("COMPOSE001", Severity.Error, "Compose", "named volume not declared", References.ComposeVolumes);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var compose in set.ComposeFiles)
        {
            var declared = compose.Root.Get("volumes").Entries().Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var service in compose.Services())
            foreach (var volume in service.Node.Seq("volumes").Items())
            {
                var source = volume is YamlDotNet.RepresentationModel.YamlScalarNode { Value: { } s } ? s.Split(':')[0]
                    : volume.Str("type") is null or "volume" ? volume.Str("source") : null;
                if (source is null || source.Length == 0 || source.StartsWith('.') || source.StartsWith('/') || source.StartsWith('~') || source.StartsWith('$')) continue;
                if (declared.Contains(source)) continue;
                yield return Finding(compose.File, volume.Line(), $"service {service.Name} mounts named volume {source}, which is not declared under top-level volumes",
                    $"docker compose refuses the project (\"service \\\"{service.Name}\\\" refers to undefined volume {source}\"), so Vault does not start at all.",
                    $"Add a top-level `volumes: {{ {source}: {{}} }}` (or use a ./path bind mount).");
            }
        }
    }
}
