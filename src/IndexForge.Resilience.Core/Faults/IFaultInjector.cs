using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Core.Faults;

/// <summary>How one target makes one fault type happen. Looked up by <see cref="Type"/>.</summary>
public interface IFaultInjector
{
    string Type { get; }

    /// <summary>Injects the fault; the returned handle reverts it. Throws <see cref="FaultInjectionException"/> on failure.</summary>
    Task<IActiveFault> InjectAsync(FaultOptions options, FaultContext context, CancellationToken cancellationToken);
}

/// <summary>A fault in effect. Reverting twice is harmless; the runner reverts on window end, failure and Ctrl-C.</summary>
public interface IActiveFault
{
    /// <summary>What the injector did or a probe observed, in plain words; never secret values.</summary>
    IReadOnlyDictionary<string, string> Details { get; }

    Task RevertAsync(CancellationToken cancellationToken);
}

public sealed record FaultContext(
    TargetEnvironment Environment,
    TimeProvider Time,
    Random Random,
    Action<TargetEvent> Emit);

public sealed class FaultInjectionException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A fault that needs no revert (probes, rotations): carries its observations.</summary>
public sealed class CompletedFault(IReadOnlyDictionary<string, string> details) : IActiveFault
{
    public IReadOnlyDictionary<string, string> Details { get; } = details;
    public Task RevertAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
