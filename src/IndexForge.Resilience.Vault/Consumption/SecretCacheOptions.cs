using System.ComponentModel.DataAnnotations;
using IndexForge.Resilience.Core.Scenarios;

namespace IndexForge.Resilience.Vault.Consumption;

/// <summary>How a replica consumes its credential from Vault (the sample service's side).</summary>
public sealed record SecretCacheOptions
{
    /// <summary>KV v2 path under the client's mount, e.g. "indexforge/api-key".</summary>
    [Required] public string Path { get; init; } = "";

    [Required] public string Field { get; init; } = SecretCacheConstants.DefaultField;

    [PositiveDuration] public TimeSpan RefreshInterval { get; init; } = SecretCacheConstants.DefaultRefreshInterval;

    /// <summary>How long the previous version is still accepted after the current one was first seen; zero disables overlap.</summary>
    public TimeSpan Overlap { get; init; } = SecretCacheConstants.DefaultOverlap;

    [Range(1, 4096)] public int MaxCredentialLength { get; init; } = SecretCacheConstants.DefaultMaxCredentialLength;

    public IEnumerable<string> Problems()
    {
        if (Overlap < TimeSpan.Zero) yield return "Overlap: must be zero (off) or positive";
    }
}

/// <summary>How a calling workload (the load generator) picks the credential it presents.</summary>
public sealed record CallerCredentialOptions
{
    [Required] public string Path { get; init; } = "";

    [Required] public string Field { get; init; } = SecretCacheConstants.DefaultField;

    [PositiveDuration] public TimeSpan RefreshInterval { get; init; } = SecretCacheConstants.DefaultCallerRefreshInterval;

    /// <summary>
    /// A new version is presented only once this long has passed since the caller first saw it. Set it to at least
    /// the replicas' refresh interval plus a read's latency, so every replica accepts the version by then.
    /// </summary>
    public TimeSpan AdoptAfter { get; init; } = SecretCacheConstants.DefaultAdoptAfter;

    public IEnumerable<string> Problems()
    {
        if (AdoptAfter < TimeSpan.Zero) yield return "AdoptAfter: must be zero or positive";
    }
}
