namespace IndexForge.Resilience.Core.Faults.SecretRotation;

/// <summary>`secret-rotation`: The plan's rotation job runs: a new version with rotation_date and next_rotation (+30 days).</summary>
public sealed record SecretRotationOptions : FaultOptions
{
    public string? Path { get; init; }
    /// <summary>Revoke (destroy) the previous version this long after rotating; unset keeps it.</summary>
    public TimeSpan? RevokePreviousAfter { get; init; }
    /// <summary>How long every replica has to pick up the new version.</summary>
    [PositiveDuration] public TimeSpan VerifyWithin { get; init; } = SecretRotationConstants.DefaultVerifyWithin;
    public override bool Instantaneous => true;
    public override string Subject => Path ?? "service secret";
}
