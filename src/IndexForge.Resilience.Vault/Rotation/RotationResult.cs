namespace IndexForge.Resilience.Vault.Rotation;

/// <summary>Where a rotation stopped (<see cref="Completed"/> when it did not fail).</summary>
public enum RotationStage
{
    ReadCurrent,
    WriteSecret,
    WriteMetadata,
    Verify,
    Completed,
}

/// <summary>
/// What one rotation did. Never holds the credential. A failure is a result with <see cref="Succeeded"/> false,
/// the stage and the error, and the alert was raised for it; nothing is swallowed.
/// </summary>
public sealed record RotationResult
{
    public required string Path { get; init; }
    public required bool Succeeded { get; init; }
    public required RotationStage Stage { get; init; }
    public int? PreviousVersion { get; init; }
    public int? NewVersion { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    /// <summary>The custom_metadata rotation_date written (UTC).</summary>
    public DateTimeOffset? RotationDate { get; init; }
    /// <summary>The custom_metadata next_rotation written (rotation_date + the period).</summary>
    public DateTimeOffset? NextRotation { get; init; }
    /// <summary>What each replica last reported.</summary>
    public IReadOnlyDictionary<string, int> ReplicaVersions { get; init; } = new Dictionary<string, int>();
    /// <summary>Replicas still below <see cref="NewVersion"/> when verification ended.</summary>
    public IReadOnlyList<string> LaggingReplicas { get; init; } = [];
    /// <summary>Time from the write to the moment every replica reported the new version.</summary>
    public TimeSpan? AllReplicasAfter { get; init; }
    public bool Verified { get; init; }
    /// <summary>"ExceptionType: message" of the failure.</summary>
    public string? Error { get; init; }
    /// <summary>Set when raising the alert itself failed.</summary>
    public string? AlertError { get; init; }
}

/// <summary>What the alert callback receives (the plan's alert_rotation_failure(path, error)).</summary>
public sealed record RotationFailure(string Path, RotationStage Stage, string Error, Exception? Exception);

/// <summary>The result of destroying the previous version early.</summary>
public sealed record RevocationResult(string Path, bool Succeeded, int? DestroyedVersion, int? CurrentVersion, string? Error);
