using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Rules.Kubernetes;

namespace IndexForge.Resilience.Lint.Rules.Vault;

/// <summary>VAULT003: a Vault version past HashiCorp's support window receives no security fixes.</summary>
public sealed class EndOfLifeVersionRule : LintRule
{
    public override RuleInfo Info { get; } = new("VAULT003", Severity.Error, "Vault",
        "end-of-life Vault version", References.VaultSupportPolicy);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        var oldest = VaultModel.Version(context.Options.VaultOldestSupportedMinor)!.Value;
        var images = VaultModel.VaultServices(set).Select(s => (s.File, Line: s.LineOf("image"), Where: $"compose service {s.Name}", Image: s.Image!))
            .Concat(ContainerModel.AllContainers(set).Where(c => VaultModel.IsVaultImage(Parsing.YamlNav.Str(c.Container, "image")))
                .Select(c => (c.Pod.Owner.File, Line: Parsing.YamlNav.LineOf(c.Container, c.Pod.Owner.Line, "image"), Where: c.Pod.Owner.Display, Image: Parsing.YamlNav.Str(c.Container, "image")!)));
        foreach (var (file, line, where, image) in images)
        {
            if (VaultModel.Version(ContainerModel.Tag(image)) is not { } version) continue;
            if (version.Major > oldest.Major || (version.Major == oldest.Major && version.Minor >= oldest.Minor)) continue;
            yield return Finding(file, line, $"{where}: Vault {ContainerModel.Tag(image)} is end of life (oldest supported minor: {context.Options.VaultOldestSupportedMinor})",
                "HashiCorp fixes only the current and the two previous minor releases; this version gets no security patches, and " +
                "upgrading later has to cross several minors (and storage migrations) at once.",
                $"Pin a supported release of hashicorp/vault ({context.Options.VaultOldestSupportedMinor} or newer).");
        }
    }
}
