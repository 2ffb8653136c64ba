namespace IndexForge.Resilience.Vault.Consumption;

/// <summary>Which credential a presented value matched.</summary>
public enum CredentialMatch
{
    Rejected,
    Current,
    /// <summary>The previous version, inside the overlap window.</summary>
    Previous,
}

/// <summary>
/// How fresh a replica's credential is. <see cref="Staleness"/> is the time since the last successful read of the
/// secret: it grows while Vault is sealed or unreachable, while the cache keeps answering from what it has.
/// </summary>
public sealed record SecretCacheStatus
{
    public int CurrentVersion { get; init; }
    public int? PreviousVersion { get; init; }
    /// <summary>Until when the previous version is accepted (null: none is).</summary>
    public DateTimeOffset? PreviousAcceptedUntil { get; init; }
    public DateTimeOffset? LastSuccessAt { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public TimeSpan Staleness { get; init; }
    /// <summary>The last failure as "ExceptionType: message" (Vault's messages carry no secret values).</summary>
    public string? LastError { get; init; }
    public DateTimeOffset? LastErrorAt { get; init; }
    public int ConsecutiveFailures { get; init; }
    public long Refreshes { get; init; }
    public long Failures { get; init; }
}
