using Polly;
using Polly.Simmy;
using Polly.Simmy.Latency;
using Polly.Simmy.Outcomes;

namespace IndexForge.Resilience.SampleService.Chaos;

/// <summary>
/// The replica's own failure injection, through Polly's chaos strategies: an outcome strategy that
/// answers a 5xx instead of running the request, and a latency strategy. Built once; the settings
/// are read per request from a volatile reference, so switching chaos on or off costs no rebuild.
/// </summary>
public sealed class ChaosPipeline
{
    private volatile ChaosSettings _settings = ChaosSettings.None;
    private readonly ResiliencePipeline<int> _pipeline;

    public ChaosPipeline(int seed, TimeProvider time)
    {
        var random = new Random(seed);
        var gate = new object();
        double Next() { lock (gate) return random.NextDouble(); }

        _pipeline = new ResiliencePipelineBuilder<int> { TimeProvider = time }
            .AddChaosLatency(new ChaosLatencyStrategyOptions
            {
                Randomizer = Next,
                EnabledGenerator = _ => ValueTask.FromResult(_settings.LatencyMs > 0 && _settings.LatencyRate > 0),
                InjectionRateGenerator = _ => ValueTask.FromResult(_settings.LatencyRate),
                LatencyGenerator = _ => ValueTask.FromResult(TimeSpan.FromMilliseconds(_settings.LatencyMs)),
            })
            .AddChaosOutcome(new ChaosOutcomeStrategyOptions<int>
            {
                Randomizer = Next,
                EnabledGenerator = _ => ValueTask.FromResult(_settings.ErrorRate > 0),
                InjectionRateGenerator = _ => ValueTask.FromResult(_settings.ErrorRate),
                OutcomeGenerator = _ => ValueTask.FromResult<Outcome<int>?>(Outcome.FromResult(_settings.StatusCode)),
            })
            .Build();
    }

    public ChaosSettings Settings
    {
        get => _settings;
        set => _settings = value;
    }

    /// <summary>Runs <paramref name="next"/> unless chaos answers first; returns the injected status code, or 0.</summary>
    public async ValueTask<int> ExecuteAsync(Func<CancellationToken, ValueTask> next, CancellationToken cancellationToken)
    {
        if (!_settings.IsActive)
        {
            await next(cancellationToken);
            return 0;
        }
        return await _pipeline.ExecuteAsync(async ct =>
        {
            await next(ct);
            return 0;
        }, cancellationToken);
    }
}
