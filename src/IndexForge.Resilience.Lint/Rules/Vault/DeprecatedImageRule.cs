using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Rules.Kubernetes;

namespace IndexForge.Resilience.Lint.Rules.Vault;

/// <summary>VAULT002: the Docker Hub library image `vault` is deprecated; releases ship as hashicorp/vault.</summary>
public sealed class DeprecatedImageRule : LintRule
{
    public override RuleInfo Info { get; } = new("VAULT002", Severity.Warning, "Vault",
        "deprecated vault image", References.VaultDockerImage);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var service in VaultModel.VaultServices(set))
        {
            if (ContainerModel.Repository(service.Image!) != "vault") continue;
            yield return Finding(service.File, service.LineOf("image"), $"compose service {service.Name}: image {service.Image} is the deprecated library image",
                "HashiCorp stopped publishing the official `vault` image after 1.13.3; newer releases and security fixes exist only as " +
                "hashicorp/vault, so this image can never be patched.",
                "Use hashicorp/vault with a pinned, supported version.");
        }
    }
}
