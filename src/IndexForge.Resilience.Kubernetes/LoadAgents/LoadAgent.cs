using IndexForge.Resilience.Core.Load;

namespace IndexForge.Resilience.Kubernetes.LoadAgents;

/// <summary>
/// One load agent (the <c>agent</c> command, one pod of the Job): the scenario's load, this agent's
/// <see cref="LoadShare"/> of it, sent to one URL from a shared origin, then reported with
/// <see cref="AgentReport"/>. The load engine and its semantics are the embedded run's.
/// </summary>
public static class LoadAgent
{
    /// <summary>What agents cannot do with this load; empty when they can run it.</summary>
    public static IEnumerable<string> Problems(LoadSpec spec)
    {
        foreach (var phase in spec.Phases.Where(p => p.Route == Routes.Direct))
            yield return $"phase '{phase.Name}' is route: direct (straight to one replica with a workload certificate), which load agents cannot send: they send every phase to the mesh entry";
    }

    public static async Task<LoadRun> RunAsync(LoadAgentRequest request, ILoadEngine engine, Action<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = LoadAgent.Problems(request.Load).Concat(request.Share.Problems()).ToList();
        var now = request.Time.GetUtcNow();
        if (request.StartAt < now - LoadAgentConstants.LateStartTolerance)
            problems.Add($"the shared start {request.StartAt:O} is {(now - request.StartAt).TotalSeconds:0.#} s in the past (more than {LoadAgentConstants.LateStartTolerance.TotalSeconds:0} s): this agent came up too late to keep the schedule");
        if (problems.Count > 0) throw new LoadAgentException(string.Join("; ", problems));
        var wait = request.StartAt - now;
        progress?.Invoke(wait > TimeSpan.Zero
            ? $"agent {request.Share}: starting in {wait.TotalSeconds:0.0} s at {request.StartAt:O}, sending to {request.TargetUrl}"
            : $"agent {request.Share}: starting {-wait.TotalSeconds:0.0} s late (those sends count as scheduler lag), sending to {request.TargetUrl}");
        var endpoint = new LoadEndpoint(request.TargetUrl);
        var run = await engine.RunAsync(new LoadPlan
        {
            Spec = request.Load,
            Resolve = _ => endpoint,
            Seed = request.Seed,
            Time = request.Time,
            Share = request.Share,
            StartAt = request.StartAt,
        }, null, cancellationToken).ConfigureAwait(false);
        progress?.Invoke($"agent {request.Share}: {run.Windows.Sum(w => w.Sent)} sent, {run.Windows.Sum(w => w.Failed)} failed, {run.Windows.Sum(w => w.Dropped)} dropped{(run.Cancelled ? " (cancelled)" : "")}");
        return run;
    }
}

public sealed record LoadAgentRequest
{
    public required LoadSpec Load { get; init; }
    public required Uri TargetUrl { get; init; }
    public required LoadShare Share { get; init; }
    public required DateTimeOffset StartAt { get; init; }
    public int Seed { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>The agent cannot run this (invalid share, direct phases, a start long past): exit code 2.</summary>
public sealed class LoadAgentException(string message) : Exception(message);
