using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Vault;

/// <summary>VAULT008: an awskms seal in a compose deployment with no AWS credentials cannot unseal, so Vault never starts.</summary>
public sealed class AwsKmsSealRule : LintRule
{
    private static readonly string[] CredentialVariables =
    [
        "AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ];

    public override RuleInfo Info { get; } = new("VAULT008", Severity.Error, "Vault",
        "awskms seal without AWS credentials", References.VaultAwsKmsSeal);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        var services = VaultModel.VaultServices(set).ToList();
        if (services.Count == 0) yield break; // on EC2/EKS an instance or pod role may supply credentials; only compose is judged
        foreach (var file in set.VaultConfigs)
        foreach (var seal in file.Body.BlocksOf("seal").Where(b => b.Label == "awskms"))
        {
            if (seal.Body.Attribute("access_key") is not null) continue;
            var withCredentials = services.Where(s => s.Environment().Keys.Any(CredentialVariables.Contains)).ToList();
            if (withCredentials.Count > 0) continue;
            yield return Finding(file.File, seal.Line,
                $"seal \"awskms\" (key {seal.Body.Str("kms_key_id") ?? "?"}, region {seal.Body.Str("region") ?? "?"}) with no AWS credentials for the compose service",
                "Auto-unseal calls KMS at every start. A compose container has no instance role (and IMDSv2's default hop limit of 1 " +
                "blocks containers even on EC2), so Vault fails \"error fetching AWS KMS wrapping key information\" and exits: it never " +
                "unseals, and every restart is an outage.",
                "For an on-prem/compose Vault use Shamir unseal (no seal stanza) or a transit seal against another Vault; on AWS pass " +
                "credentials (AWS_ROLE_ARN + web identity, or an instance profile with a higher IMDS hop limit).");
        }
    }
}
