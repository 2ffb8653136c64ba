using Xunit;

namespace IndexForge.Resilience.Core.Tests.Load;

/// <summary>Tests that measure real time run one at a time, never next to a CPU-heavy one.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "load timing";
}
