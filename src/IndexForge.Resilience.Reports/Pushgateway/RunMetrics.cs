using IndexForge.Resilience.Core.Results;
using Prometheus;

namespace IndexForge.Resilience.Reports.Pushgateway;

/// <summary>
/// A run's figures as Prometheus gauges (prometheus-net, a private registry), so nightly trends can be
/// graphed: verdicts as state sets, latency quantiles in seconds, request counts by outcome, achieved rate,
/// saturation and every assertion figure. Values are copied from the run, never recomputed.
/// </summary>
public static class RunMetrics
{
    private static readonly Verdict[] AllVerdicts = Enum.GetValues<Verdict>();

    public static CollectorRegistry Build(RunResult run)
    {
        var registry = Metrics.NewCustomRegistry();
        var f = Metrics.WithCustomRegistry(registry);
        string N(string name) => PushgatewayConstants.MetricPrefix + name;

        f.CreateGauge(N("run_info"), "Identity of the pushed run.", ["run_id", "tool_version", "seed"])
            .WithLabels(run.Manifest.RunId, run.Manifest.ToolVersion, run.Manifest.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)).Set(1);
        f.CreateGauge(N("run_success"), "1 when the run passed (not aborted, no failed or errored assertion).")
            .Set(!run.Aborted && run.Verdict is Verdict.Pass or Verdict.Skipped ? 1 : 0);
        f.CreateGauge(N("run_aborted"), "1 when the run was interrupted.").Set(run.Aborted ? 1 : 0);
        StateSet(f.CreateGauge(N("run_verdict"), "The run verdict (1 for the current one).", ["verdict"]), run.Verdict, []);
        f.CreateGauge(N("run_finished_timestamp_seconds"), "When the run finished, Unix time.").Set(run.Manifest.FinishedAt.ToUnixTimeMilliseconds() / 1000.0);
        f.CreateGauge(N("run_duration_seconds"), "Wall time of the run.").Set((run.Manifest.FinishedAt - run.Manifest.StartedAt).TotalSeconds);

        var verdict = f.CreateGauge(N("scenario_verdict"), "Scenario verdict (1 for the current one).", ["scenario", "control_of", "verdict"]);
        var duration = f.CreateGauge(N("scenario_duration_seconds"), "Scenario duration.", ["scenario", "control_of"]);
        var latency = f.CreateGauge(N("scenario_latency_seconds"), "Latency from the intended send time, whole scenario.", ["scenario", "control_of", "quantile"]);
        var requests = f.CreateGauge(N("scenario_requests"), "Requests of the scenario by outcome.", ["scenario", "control_of", "outcome"]);
        var rate = f.CreateGauge(N("scenario_achieved_requests_per_second"), "Achieved request rate.", ["scenario", "control_of"]);
        var saturated = f.CreateGauge(N("scenario_saturated"), "1 when the load generator could not keep its schedule.", ["scenario", "control_of"]);
        var assertion = f.CreateGauge(N("assertion_verdict"), "Assertion verdict (1 for the current one).", ["scenario", "control_of", "assertion", "type", "verdict"]);
        var figure = f.CreateGauge(N("assertion_figure"), "A figure behind an assertion's verdict, in the unit its name states.", ["scenario", "control_of", "assertion", "figure"]);

        foreach (var s in run.Scenarios)
        {
            string[] key = [s.Name, s.NegativeControlOf ?? ""];
            StateSet(verdict, s.Verdict, key);
            duration.WithLabels(key).Set(s.Duration.TotalSeconds);
            if (s.Load.Latency.Count > 0)
                foreach (var (q, ms) in new[] { ("0.5", s.Load.Latency.P50), ("0.9", s.Load.Latency.P90), ("0.95", s.Load.Latency.P95), ("0.99", s.Load.Latency.P99), ("1", s.Load.Latency.Max) })
                    latency.WithLabels([.. key, q]).Set(ms / 1000.0);
            foreach (var (outcome, count) in new[] { ("scheduled", s.Load.Scheduled), ("sent", s.Load.Sent), ("completed", s.Load.Completed), ("succeeded", s.Load.Succeeded), ("failed", s.Load.Failed), ("dropped", s.Load.Dropped) })
                requests.WithLabels([.. key, outcome]).Set(count);
            rate.WithLabels(key).Set(s.Load.AchievedRate);
            saturated.WithLabels(key).Set(s.Load.Saturated ? 1 : 0);
            foreach (var a in s.Assertions)
            {
                StateSet(assertion, a.Verdict, [.. key, a.Name, a.Type]);
                foreach (var (name, value) in a.Figures) figure.WithLabels([.. key, a.Name, name]).Set(value);
            }
        }
        return registry;
    }

    private static void StateSet(Gauge gauge, Verdict current, string[] labels)
    {
        foreach (var v in AllVerdicts) gauge.WithLabels([.. labels, ReportText.Verdict(v)]).Set(v == current ? 1 : 0);
    }
}
