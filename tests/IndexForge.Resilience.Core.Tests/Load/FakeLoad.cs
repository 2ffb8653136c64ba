using System.Collections.Concurrent;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Load.Recording;
using IndexForge.Resilience.Core.Load.Sending;
using Microsoft.Extensions.Time.Testing;

namespace IndexForge.Resilience.Core.Tests.Load;

/// <summary>A transport that records what it was asked to send and answers as told (by default 200 at once).</summary>
internal sealed class FakeTransport : ILoadTransport, ILoadTransportFactory
{
    public ConcurrentQueue<(int Request, long Intended)> Sends { get; } = new();

    public List<LoadEndpoint> Endpoints { get; } = [];

    public Func<int, CancellationToken, ValueTask<SendOutcome>> Answer { get; init; } =
        (_, _) => ValueTask.FromResult(new SendOutcome(200, ErrorClass.None, "replica-a", "region-1"));

    public ILoadTransport Create(LoadEndpoint endpoint, LoadPlan plan)
    {
        lock (Endpoints) Endpoints.Add(endpoint);
        return this;
    }

    public ValueTask<SendOutcome> SendAsync(int request, long intended, CancellationToken cancellationToken)
    {
        Sends.Enqueue((request, intended));
        return Answer(request, cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Answers after <paramref name="latency"/> of the given clock; a fired token is a timeout.</summary>
    public static Func<int, CancellationToken, ValueTask<SendOutcome>> After(TimeSpan latency, TimeProvider time) => async (_, ct) =>
    {
        try
        {
            await Task.Delay(latency, time, ct);
            return new SendOutcome(200, ErrorClass.None);
        }
        catch (OperationCanceledException)
        {
            return new SendOutcome(0, ErrorClass.Timeout);
        }
    };
}

internal static class FakeClock
{
    public static FakeTimeProvider Create() => new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.Zero };

    /// <summary>
    /// Runs the engine on a fake clock, advancing it in small steps until the run ends. Send times
    /// come from the schedule, not from when the dispatcher woke, so offsets are exact whatever the step.
    /// </summary>
    public static async Task<LoadRun> RunAsync(
        FakeTimeProvider time, LoadPlan plan, FakeTransport transport, ILoadObserver? observer = null,
        TimeSpan? step = null, CancellationToken cancellationToken = default, TimeSpan? limit = null)
    {
        var run = new LoadEngine(transport).RunAsync(plan with { Time = time }, observer, cancellationToken);
        var end = time.GetUtcNow() + (limit ?? plan.Spec.TotalDuration + TimeSpan.FromSeconds(30));
        while (!run.IsCompleted)
        {
            if (time.GetUtcNow() > end) throw new TimeoutException("the run did not finish on the fake clock");
            time.Advance(step ?? TimeSpan.FromMilliseconds(5));
            // Let pool threads finish what the last step released (responses, window merges).
            await Task.Delay(1);
        }
        return await run;
    }

    public static LoadPlan Plan(params PhaseOptions[] phases) => new()
    {
        Spec = new LoadSpec { Phases = [.. phases], Requests = [new RequestSpec { Path = "/ok" }] },
        Resolve = _ => new LoadEndpoint(new Uri("http://127.0.0.1:1/")),
        Seed = 7,
    };

    public static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);
}
