using System.Globalization;
using IndexForge.Resilience.Core.Load;

namespace IndexForge.Resilience.Bench.Sections;

/// <summary>
/// Open-model accuracy at fixed rates: achieved sends per second against the target rate, and how
/// late sends left (scheduler lag). With lag p99 of a few ms the wall-clock rate equals the
/// achieved rate to within lag ÷ duration.
/// </summary>
public sealed class RateAccuracySection : IBenchSection
{
    public string Name => BenchSections.RateAccuracy;

    public string Title => "rate accuracy (open model)";

    public async Task<IReadOnlyList<BenchGoal>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var o = context.Output;
        var duration = context.RunDuration;
        o.WriteLine($"  {context.Options.Connections} connections, {BenchConstants.Warmup.TotalSeconds:0} s warm-up then {duration.TotalSeconds:0} s measured per rate");
        if (context.Options.Quick) o.WriteLine($"  quick mode: {duration.TotalSeconds:0} s measured per rate");
        o.WriteLine($"  {"target",10}{"achieved",12}{"error",9}{"dropped",9}{"lag p50",10}{"lag p99",10}{"lag max",10}{"lat p50",10}{"lat p99",10}  saturated");
        var goals = new List<BenchGoal>();
        foreach (var rate in context.Options.Rates)
        {
            var run = await EngineRuns.RunAsync(EngineRuns.Open(rate, context.Options.Connections, duration), context.Target.Address, cancellationToken);
            var m = run.Measured();
            var achieved = m.Sent / duration.TotalSeconds;
            var error = achieved / rate - 1;
            var lag = m.SchedulerLag ?? Core.Results.LatencySummary.Empty;
            var failed = m.Failed > 0 ? $" ({m.Failed} failed)" : "";
            o.WriteLine(
                $"  {ThroughputSection.Rate(rate),10}{achieved.ToString("#,0.0", CultureInfo.InvariantCulture) + "/s",12}{SignedPercent.Format(error, 2),9}" +
                $"{m.Dropped,9}{Ms(lag.P50),10}{Ms(lag.P99),10}{Ms(lag.Max),10}{Ms(m.Latency.P50),10}{Ms(m.Latency.P99),10}  {(run.Saturated ? "yes" : "no")}{failed}");
            if (rate == BenchConstants.GoalRate)
            {
                var goalLag = BenchConstants.GoalLagP99.TotalMilliseconds;
                goals.Add(new BenchGoal(Name, $"achieved rate within ±{BenchConstants.GoalRateError:0%} of {ThroughputSection.Rate(rate)}",
                    Math.Abs(error) <= BenchConstants.GoalRateError, $"{SignedPercent.Format(error, 2)} ({m.Dropped} dropped)"));
                goals.Add(new BenchGoal(Name, $"scheduler lag p99 ≤ {goalLag:0.#} ms at {ThroughputSection.Rate(rate)}", lag.P99 <= goalLag, $"{lag.P99:0.00} ms"));
            }
        }
        if (!context.Options.Rates.Contains(BenchConstants.GoalRate))
        {
            goals.Add(new BenchGoal(Name, $"rate accuracy at {ThroughputSection.Rate(BenchConstants.GoalRate)}", null, "skipped (rate not in --rates)"));
        }
        return goals;
    }

    internal static string Ms(double ms) => ms.ToString("0.00", CultureInfo.InvariantCulture) + " ms";
}
