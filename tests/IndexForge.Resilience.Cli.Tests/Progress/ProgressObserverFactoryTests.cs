using IndexForge.Resilience.Cli.Progress;
using IndexForge.Resilience.Core.Running;
using Xunit;

namespace IndexForge.Resilience.Cli.Tests.Progress;

public sealed class ProgressObserverFactoryTests
{
    [Theory]
    [InlineData(false, null, "xterm-256color", ProgressMode.Live)]
    [InlineData(true, null, "xterm-256color", ProgressMode.Plain)]
    [InlineData(false, "true", "xterm", ProgressMode.Plain)]
    [InlineData(false, "1", "xterm", ProgressMode.Plain)]
    [InlineData(false, "false", "xterm", ProgressMode.Live)]
    [InlineData(false, "", "xterm", ProgressMode.Live)]
    [InlineData(false, null, "dumb", ProgressMode.Plain)]
    public void Resolve_Auto_FollowsTerminalAndCi(bool redirected, string? ci, string? term, ProgressMode expected) =>
        Assert.Equal(expected, ProgressObserverFactory.Resolve(ProgressMode.Auto, redirected, ci, term));

    [Theory]
    [InlineData(ProgressMode.Live)]
    [InlineData(ProgressMode.Plain)]
    [InlineData(ProgressMode.Quiet)]
    public void Resolve_Explicit_Wins(ProgressMode mode) => Assert.Equal(mode, ProgressObserverFactory.Resolve(mode, true, "true", "dumb"));

    [Fact]
    public void Create_Modes_GiveTheMatchingObserver()
    {
        Assert.IsType<PlainProgressObserver>(ProgressObserverFactory.Create(ProgressMode.Plain, new StringWriter()));
        Assert.Same(NullRunObserver.Instance, ProgressObserverFactory.Create(ProgressMode.Quiet));
        using var live = Assert.IsType<LiveProgressObserver>(ProgressObserverFactory.Create(ProgressMode.Live, new StringWriter()));
    }
}
