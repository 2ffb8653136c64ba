using System.ComponentModel.DataAnnotations;
using IndexForge.Resilience.Core.Scenarios;
using IndexForge.Resilience.Vault.Consumption;

namespace IndexForge.Resilience.Vault.Rotation;

/// <summary>The plan's rotate_secrets: which secret, how the new credential looks, and how long replicas get to pick it up.</summary>
public sealed record SecretRotationJobOptions
{
    [Required] public string Path { get; init; } = "";

    [Required] public string Field { get; init; } = SecretCacheConstants.DefaultField;

    [Range(16, 1024)] public int CredentialBytes { get; init; } = RotationJobConstants.DefaultCredentialBytes;

    [PositiveDuration] public TimeSpan RotationPeriod { get; init; } = RotationJobConstants.DefaultRotationPeriod;

    /// <summary>Every replica must report the new version within this bound.</summary>
    [PositiveDuration] public TimeSpan VerifyWithin { get; init; } = RotationJobConstants.DefaultVerifyWithin;

    [PositiveDuration] public TimeSpan VerifyPollInterval { get; init; } = RotationJobConstants.DefaultVerifyPollInterval;

    /// <summary>Write with cas = the version read, so two rotations racing cannot both win.</summary>
    public bool CheckAndSet { get; init; } = true;
}
