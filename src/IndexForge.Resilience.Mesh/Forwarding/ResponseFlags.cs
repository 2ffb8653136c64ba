namespace IndexForge.Resilience.Mesh.Forwarding;

/// <summary>Envoy response flags (%RESPONSE_FLAGS%), in Envoy's order, as Istio's response_flags label shows them.</summary>
[Flags]
public enum ResponseFlags
{
    None = 0,
    /// <summary>UH: no healthy upstream host.</summary>
    NoHealthyUpstream = 1 << 0,
    /// <summary>UT: upstream request timeout.</summary>
    UpstreamRequestTimeout = 1 << 1,
    /// <summary>UF: upstream connection failure.</summary>
    UpstreamConnectionFailure = 1 << 2,
    /// <summary>UC: upstream connection termination.</summary>
    UpstreamConnectionTermination = 1 << 3,
    /// <summary>UO: upstream overflow (circuit breaking).</summary>
    UpstreamOverflow = 1 << 4,
    /// <summary>NR: no route.</summary>
    NoRouteFound = 1 << 5,
    /// <summary>DI: the request was delayed by fault injection.</summary>
    DelayInjected = 1 << 6,
    /// <summary>FI: the request was aborted by fault injection.</summary>
    FaultInjected = 1 << 7,
    /// <summary>DC: downstream connection termination.</summary>
    DownstreamConnectionTermination = 1 << 8,
    /// <summary>URX: retry limit reached.</summary>
    UpstreamRetryLimitExceeded = 1 << 9,
}

public static class ResponseFlagText
{
    private static readonly (ResponseFlags Flag, string Text)[] Order =
    [
        (ResponseFlags.NoHealthyUpstream, "UH"), (ResponseFlags.UpstreamRequestTimeout, "UT"), (ResponseFlags.UpstreamConnectionFailure, "UF"),
        (ResponseFlags.UpstreamConnectionTermination, "UC"), (ResponseFlags.UpstreamOverflow, "UO"), (ResponseFlags.NoRouteFound, "NR"),
        (ResponseFlags.DelayInjected, "DI"), (ResponseFlags.FaultInjected, "FI"), (ResponseFlags.DownstreamConnectionTermination, "DC"),
        (ResponseFlags.UpstreamRetryLimitExceeded, "URX"),
    ];

    private static readonly string[] Cache = Enumerable.Range(0, 1 << Order.Length).Select(i => Format((ResponseFlags)i)).ToArray();

    /// <summary>"-" for none, else the short codes joined by commas (e.g. "UF,URX").</summary>
    public static string ToShortString(this ResponseFlags flags) => Cache[(int)flags];

    private static string Format(ResponseFlags flags) =>
        flags == ResponseFlags.None ? "-" : string.Join(",", Order.Where(o => flags.HasFlag(o.Flag)).Select(o => o.Text));
}
