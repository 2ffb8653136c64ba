using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace IndexForge.Resilience.SampleService;

/// <summary>How one replica of the IndexForge sample service runs.</summary>
public sealed record SampleServiceOptions
{
    public required string ReplicaId { get; init; }
    public required string Region { get; init; }
    public required string Zone { get; init; }
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;
    /// <summary>0 takes an ephemeral port; a restart keeps the port it got first.</summary>
    public int Port { get; init; }
    /// <summary>Configures the listener (e.g. STRICT mTLS from the mesh); plaintext when null.</summary>
    public Action<ListenOptions>? ConfigureListener { get; init; }
    /// <summary>
    /// Runs first on every request: the sidecar's inbound checks (peer identity, authorization
    /// policy) that answer before the service sees the request.
    /// </summary>
    public Func<Microsoft.AspNetCore.Http.HttpContext, Microsoft.AspNetCore.Http.RequestDelegate, Task>? Inbound { get; init; }
    /// <summary>When set, API requests must carry an accepted <c>x-indexforge-api-key</c>.</summary>
    public ICredentialValidator? Credentials { get; init; }
    /// <summary>Seeds the chaos strategies' randomness so the same seed replays the same failures.</summary>
    public int Seed { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>Shared document index (replicas of one deployment serve the same data).</summary>
    public DocumentIndex? Index { get; init; }
}

/// <summary>Checks the credential a caller presents; backed by Vault in the embedded target.</summary>
public interface ICredentialValidator
{
    bool Accepts(string presented);
    /// <summary>Version of the secret the replica currently holds (null before the first read).</summary>
    int? CurrentVersion { get; }
    /// <summary>Versions accepted right now (current, and previous during the overlap window).</summary>
    IReadOnlyList<int> AcceptedVersions { get; }
    /// <summary>Time since the last successful refresh.</summary>
    TimeSpan Staleness { get; }
    string? LastError { get; }
}

public static class SampleServiceHeaders
{
    public const string Replica = "x-indexforge-replica";
    public const string Region = "x-indexforge-region";
    public const string Zone = "x-indexforge-zone";
    public const string SecretVersion = "x-indexforge-secret-version";
    public const string ApiKey = "x-indexforge-api-key";
}
