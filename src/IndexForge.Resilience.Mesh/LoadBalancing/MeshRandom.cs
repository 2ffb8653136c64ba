namespace IndexForge.Resilience.Mesh.LoadBalancing;

/// <summary>
/// A seeded, thread-safe, lock-free generator (SplitMix64 over an atomic counter) for the hot path:
/// the same seed gives the same sequence of draws; draws from several threads interleave.
/// </summary>
public sealed class MeshRandom(long seed)
{
    private ulong _state = unchecked((ulong)seed);

    public ulong NextUInt64()
    {
        var z = Interlocked.Add(ref _state, 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, max).</summary>
    public int Next(int max) => max <= 1 ? 0 : (int)(NextUInt64() % (ulong)max);

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
