using IndexForge.Resilience.Mesh.Config;

namespace IndexForge.Resilience.Mesh.Routing;

/// <summary>
/// The Envoy route retry policy Istio builds (pilot/pkg/networking/core/route/retry): without a
/// VirtualService retries block, 2 retries on connect-failure, refused-stream, unavailable, cancelled
/// and retriable-status-codes (503), preferring hosts not tried yet (previous_hosts, 5 selection
/// attempts); attempts: 0 disables retries; retryOn replaces the conditions (numbers are status codes).
/// </summary>
public sealed record RetryPolicy
{
    public int NumRetries { get; init; } = RetryConstants.DefaultRetries;
    public RetryOn On { get; init; } = RetryConstants.DefaultOn;
    public IReadOnlySet<int> RetriableStatusCodes { get; init; } = RetryConstants.DefaultRetriableStatusCodes;
    public TimeSpan? PerTryTimeout { get; init; }
    public bool PreferNewHosts { get; init; } = true;
    public int HostSelectionAttempts { get; init; } = RetryConstants.HostSelectionRetryMaxAttempts;
    public TimeSpan BackoffBase { get; init; } = RetryConstants.BackoffBase;
    public TimeSpan BackoffMax { get; init; } = RetryConstants.BackoffBase * 10;

    public static RetryPolicy None { get; } = new() { NumRetries = 0, On = RetryOn.None, RetriableStatusCodes = new HashSet<int>() };
    public static RetryPolicy IstioDefault { get; } = new();

    public static RetryPolicy FromIstio(HttpRetry? retry)
    {
        if (retry is null) return IstioDefault;
        if (retry.Attempts <= 0) return None;
        var policy = IstioDefault with { NumRetries = retry.Attempts };
        if (!string.IsNullOrEmpty(retry.RetryOn))
        {
            var on = RetryOn.None;
            var codes = new HashSet<int>();
            foreach (var part in retry.RetryOn.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(part, out var code) && code is >= 100 and <= 599) codes.Add(code);
                else on |= Parse(part);
            }
            if (codes.Count > 0) on |= RetryOn.RetriableStatusCodes;
            policy = policy with { On = on, RetriableStatusCodes = codes };
        }
        if (retry.PerTryTimeout is { } perTry) policy = policy with { PerTryTimeout = perTry };
        if (retry.RetryIgnorePreviousHosts is { } ignore) policy = policy with { PreferNewHosts = ignore };
        return policy;
    }

    /// <summary>Envoy retry_on for an upstream response status.</summary>
    public bool RetriesStatus(int status) =>
        (On.HasFlag(RetryOn.FiveXx) && status is >= 500 and <= 599)
        || (On.HasFlag(RetryOn.GatewayError) && status is 502 or 503 or 504)
        || (On.HasFlag(RetryOn.RetriableStatusCodes) && RetriableStatusCodes.Contains(status));

    /// <summary>Envoy retry_on for a failed connect: connect-failure, and 5xx/gateway-error/reset which include it.</summary>
    public bool RetriesConnectFailure => (On & (RetryOn.ConnectFailure | RetryOn.FiveXx | RetryOn.GatewayError | RetryOn.Reset)) != 0;

    /// <summary>A reset after connecting (UC) is retried on reset and 5xx.</summary>
    public bool RetriesReset => (On & (RetryOn.Reset | RetryOn.FiveXx)) != 0;

    /// <summary>A per-try timeout is retried on 5xx, gateway-error and reset.</summary>
    public bool RetriesPerTryTimeout => (On & (RetryOn.FiveXx | RetryOn.GatewayError | RetryOn.Reset)) != 0;

    private static RetryOn Parse(string part) => part switch
    {
        RetryOnConditions.FiveXx => RetryOn.FiveXx,
        RetryOnConditions.GatewayError => RetryOn.GatewayError,
        RetryOnConditions.Reset => RetryOn.Reset,
        RetryOnConditions.ConnectFailure => RetryOn.ConnectFailure,
        RetryOnConditions.RefusedStream => RetryOn.RefusedStream,
        RetryOnConditions.RetriableStatusCodes => RetryOn.RetriableStatusCodes,
        RetryOnConditions.Unavailable => RetryOn.Unavailable,
        RetryOnConditions.Cancelled => RetryOn.Cancelled,
        _ => RetryOn.Other,
    };
}

[Flags]
public enum RetryOn
{
    None = 0,
    FiveXx = 1,
    GatewayError = 2,
    Reset = 4,
    ConnectFailure = 8,
    RefusedStream = 16,
    RetriableStatusCodes = 32,
    Unavailable = 64,
    Cancelled = 128,
    /// <summary>Conditions (gRPC, 4xx, headers) that never trigger on the embedded service's HTTP/1.1 traffic.</summary>
    Other = 256,
}

public static class RetryConstants
{
    public const int DefaultRetries = 2;
    public const RetryOn DefaultOn = RetryOn.ConnectFailure | RetryOn.RefusedStream | RetryOn.Unavailable | RetryOn.Cancelled | RetryOn.RetriableStatusCodes;
    public static readonly IReadOnlySet<int> DefaultRetriableStatusCodes = new HashSet<int> { 503 };
    public const int HostSelectionRetryMaxAttempts = 5;
    /// <summary>Envoy's default retry back-off base interval (max is 10 × base).</summary>
    public static readonly TimeSpan BackoffBase = TimeSpan.FromMilliseconds(25);
}
