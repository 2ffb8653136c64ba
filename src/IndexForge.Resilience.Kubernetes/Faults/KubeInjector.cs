using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Targets;
using IndexForge.Resilience.Kubernetes.Guard;
using k8s.Autorest;

namespace IndexForge.Resilience.Kubernetes.Faults;

/// <summary>
/// Shared shape of the Kubernetes injectors: type check, the undo log that makes a failed injection
/// clean up after itself, events, and one error type (<see cref="FaultInjectionException"/>) for the runner.
/// </summary>
public abstract class KubeInjector<TOptions>(KubeCluster cluster) : IFaultInjector where TOptions : FaultOptions
{
    public abstract string Type { get; }

    protected KubeCluster Cluster { get; } = cluster;

    public async Task<IActiveFault> InjectAsync(FaultOptions options, FaultContext context, CancellationToken cancellationToken)
    {
        if (options is not TOptions typed)
            throw new FaultInjectionException($"{Type}: expected {typeof(TOptions).Name}, got {options.GetType().Name}");
        var undo = new UndoLog();
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            await InjectCoreAsync(typed, context, undo, details, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Whatever was changed before the failure is put back before the runner hears of it.
            string? cleanup = null;
            try
            {
                await undo.UndoAllAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (FaultInjectionException u)
            {
                cleanup = u.Message;
            }
            if (e is OperationCanceledException && cleanup is null) throw;
            var message = $"{Type} on {options.Subject}: {Describe(e)}" + (cleanup is null ? "" : $" (and {cleanup})");
            throw new FaultInjectionException(message, e);
        }
        var now = context.Time.GetUtcNow();
        var summary = string.Join(", ", details.Select(d => $"{d.Key}={d.Value}"));
        context.Emit(new TargetEvent(now, TargetEventKinds.FaultInjected, options.Subject, $"{Type}: {summary}"));
        return new KubeActiveFault(details, undo, () =>
            context.Emit(new TargetEvent(context.Time.GetUtcNow(), TargetEventKinds.FaultReverted, options.Subject, Type)));
    }

    /// <summary>Makes the fault happen; records in <paramref name="undo"/> the undo of each change right after it succeeded.</summary>
    protected abstract Task InjectCoreAsync(TOptions options, FaultContext context, UndoLog undo, Dictionary<string, string> details, CancellationToken ct);

    private static string Describe(Exception e) => e switch
    {
        HttpOperationException h => $"API server answered {(int)h.Response.StatusCode}: {Truncate(h.Response.Content)}",
        NamespaceGuardException g => g.Message,
        _ => e.Message,
    };

    private static string Truncate(string? s) => s is null ? "" : s.Length <= 300 ? s : s[..300] + "…";
}
