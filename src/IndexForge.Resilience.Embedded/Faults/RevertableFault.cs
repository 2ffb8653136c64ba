using IndexForge.Resilience.Core.Faults;

namespace IndexForge.Resilience.Embedded.Faults;

/// <summary>A fault in effect whose revert runs once, however often it is asked for.</summary>
internal sealed class RevertableFault(IReadOnlyDictionary<string, string> details, Func<CancellationToken, Task> revert) : IActiveFault
{
    private int _reverted;

    public IReadOnlyDictionary<string, string> Details { get; } = details;

    public Task RevertAsync(CancellationToken cancellationToken) =>
        Interlocked.Exchange(ref _reverted, 1) == 0 ? revert(cancellationToken) : Task.CompletedTask;
}
