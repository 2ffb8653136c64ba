namespace IndexForge.Resilience.Mesh.Config;

/// <summary>networking.istio.io VirtualService: hosts and HTTP routes with their timeout, retries and fault.</summary>
public sealed record VirtualService : IstioResource
{
    public IReadOnlyList<string> Hosts { get; init; } = [];
    /// <summary>Empty or containing "mesh": applies to sidecars (the embedded caller).</summary>
    public IReadOnlyList<string> Gateways { get; init; } = [];
    public IReadOnlyList<HttpRoute> Http { get; init; } = [];
    public IReadOnlyList<string> ExportTo { get; init; } = [];
}

public sealed record HttpRoute
{
    public string Name { get; init; } = "";
    public IReadOnlyList<HttpMatch> Match { get; init; } = [];
    /// <summary>Destination hosts of the route (weights and subsets are not emulated).</summary>
    public IReadOnlyList<string> Destinations { get; init; } = [];
    public TimeSpan? Timeout { get; init; }
    public HttpRetry? Retries { get; init; }
    public HttpFault? Fault { get; init; }
    public ConfigLocation Location { get; init; }
}

public enum StringMatchKind { Exact, Prefix, Regex }

public sealed record StringMatch(StringMatchKind Kind, string Value)
{
    public bool Matches(string? input) => input is not null && Kind switch
    {
        StringMatchKind.Exact => string.Equals(input, Value, StringComparison.Ordinal),
        StringMatchKind.Prefix => input.StartsWith(Value, StringComparison.Ordinal),
        _ => System.Text.RegularExpressions.Regex.IsMatch(input, "^(?:" + Value + ")$", System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50)),
    };
}

public sealed record HttpMatch
{
    public StringMatch? Uri { get; init; }
    public StringMatch? Method { get; init; }
    public IReadOnlyDictionary<string, StringMatch> Headers { get; init; } = new Dictionary<string, StringMatch>();
}

public sealed record HttpRetry
{
    public int Attempts { get; init; }
    public TimeSpan? PerTryTimeout { get; init; }
    public string? RetryOn { get; init; }
    public bool? RetryIgnorePreviousHosts { get; init; }
}

public sealed record HttpFault
{
    public FaultDelay? Delay { get; init; }
    public FaultAbort? Abort { get; init; }
}

/// <summary>A fixed delay applied to <see cref="Percent"/> of requests (0–100).</summary>
public sealed record FaultDelay(TimeSpan FixedDelay, double Percent);

/// <summary>A local reply with <see cref="HttpStatus"/> for <see cref="Percent"/> of requests (0–100).</summary>
public sealed record FaultAbort(int HttpStatus, double Percent);
