namespace IndexForge.Resilience.Bench.Targets;

/// <summary>The local HTTP server every tool in one bench run is measured against.</summary>
public interface IBenchTarget : IAsyncDisposable
{
    /// <summary>Where it serves <see cref="BenchConstants.Body"/> with 200, e.g. http://127.0.0.1:41234/.</summary>
    Uri Address { get; }

    /// <summary>For the report, e.g. "nginx 1.22.1 (2 workers)".</summary>
    string Description { get; }

    /// <summary>True when it runs inside this process (its memory and CPU count as ours).</summary>
    bool InProcess { get; }
}
