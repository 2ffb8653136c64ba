using Xunit;

namespace IndexForge.Resilience.Vault.Tests.Support;

/// <summary>Tests that drive load run one at a time, so two of them never compete for the same two cores.</summary>
[CollectionDefinition(Name)]
public sealed class LoadCollection
{
    public const string Name = "load";
}
