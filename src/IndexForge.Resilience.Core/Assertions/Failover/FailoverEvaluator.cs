using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Core.Assertions.Failover;

/// <summary>
/// From the first fault on region <c>from</c> (the region itself, one of its zones or replicas), the
/// share of completed requests served by region <c>to</c> must reach <c>minShare</c> in a window
/// starting within <c>within</c>, and the success rate from the bound to the fault's end must hold.
/// Window resolution: a window counts when it starts by the bound, so the bound is met to within one window.
/// </summary>
internal sealed class FailoverEvaluator : IAssertionEvaluator
{
    public const string NeverMovedFinding = "FAILOVER-NEVER-MOVED";

    public string Type => AssertionTypes.Failover;

    public AssertionResult Evaluate(AssertionOptions options, AssertionContext context)
    {
        var o = (FailoverOptions)options;
        var expected = $"{o.To} serves >= {Evidence.Percent(o.MinShare)} within {Evidence.Seconds(o.Within)} of {o.From} failing; success rate after >= {Evidence.Percent(o.MinSuccessRate)}";
        var members = context.Scenario.Topology.ReplicaIds().Where(r => r.Region == o.From).SelectMany(r => new[] { r.Id, r.Zone }).Append(o.From).ToHashSet();
        var fault = context.Faults.Where(f => f.Target is { } t && members.Contains(t) && f.Injected).OrderBy(f => f.Start).FirstOrDefault();
        if (fault is null)
            return Evidence.Result(o, Type, Verdict.Error, expected, "no fault on the region",
                $"no fault was injected on region '{o.From}' (or its zones and replicas), so there was nothing to fail over from");
        var t0 = fault.Start;
        var end = fault.End is { } e && e > t0 ? e : context.Load.Phases.LastOrDefault()?.End ?? t0;
        var during = context.Load.Windows.Where(w => w.End > t0 && w.Start < end && w.Completed > 0).ToList();
        double Share(LoadWindow w) => w.Completed == 0 ? 0 : (double)w.ByRegion.GetValueOrDefault(o.To) / w.Completed;
        var reached = during.FirstOrDefault(w => Share(w) >= o.MinShare);
        var bound = t0 + o.Within;
        var after = context.Load.Windows.Where(w => w.Start >= bound && w.Start < end).ToList();
        var completedAfter = after.Sum(w => w.Completed);
        var successAfter = completedAfter == 0 ? 0 : (double)after.Sum(w => w.Succeeded) / completedAfter;
        var shareAfter = completedAfter == 0 ? 0 : (double)after.Sum(w => w.ByRegion.GetValueOrDefault(o.To)) / completedAfter;
        var maxShare = during.Count == 0 ? 0 : during.Max(Share);
        var figures = new Dictionary<string, double>
        {
            ["maxShare"] = maxShare,
            ["shareAfterBound"] = shareAfter,
            ["successRateAfterBound"] = successAfter,
            ["requestsAfterBound"] = completedAfter,
        };
        if (reached is not null) figures["secondsToShare"] = Math.Max(0, (reached.End - t0).TotalSeconds);
        var observed = reached is null
            ? $"{o.To} peaked at {Evidence.Percent(maxShare)} during {fault.Name}"
            : $"{o.To} reached {Evidence.Percent(Share(reached))} by {Evidence.Seconds(reached.End - t0)} after {fault.Name} began; success after the bound {Evidence.Percent(successAfter)} ({Evidence.Failures(after)} of {completedAfter})";
        var result = Evidence.Result(o, Type, Verdict.Pass, expected, observed) with
        {
            Window = $"fault {fault.Name}", WindowStart = t0, WindowEnd = end, Figures = figures,
        };
        if (reached is null)
        {
            return result with
            {
                Verdict = Verdict.Fail,
                Message = $"traffic never failed over: {o.To} carried at most {Evidence.Percent(maxShare)} while {o.From} was failing",
                Findings = [NeverMoved(o)],
            };
        }
        var problems = new List<string>();
        if (reached.Start > bound) problems.Add($"{o.To} reached {Evidence.Percent(o.MinShare)} only in the window starting {Evidence.Seconds(reached.Start - t0)} after the fault (bound {Evidence.Seconds(o.Within)})");
        if (completedAfter == 0) problems.Add("no request completed after the bound, so the success rate is unmeasured");
        else if (successAfter < o.MinSuccessRate) problems.Add($"success rate after the bound {Evidence.Percent(successAfter)} < {Evidence.Percent(o.MinSuccessRate)} ({Evidence.Failures(after)})");
        return problems.Count == 0 ? result : result with { Verdict = Verdict.Fail, Message = string.Join("; ", problems) };
    }

    private static Finding NeverMoved(FailoverOptions o) => new()
    {
        Id = NeverMovedFinding,
        Severity = Severity.Error,
        Title = $"traffic did not fail over from {o.From} to {o.To}",
        Cause = "Istio's locality failover only moves traffic once the failing endpoints are ejected: without trafficPolicy.outlierDetection "
            + "in the DestinationRule (or with a threshold the failures never reach) Envoy keeps every endpoint of the failed region healthy "
            + "and keeps sending it its share.",
        Fix = "add outlierDetection next to localityLbSetting.failover in the DestinationRule, e.g. consecutive5xxErrors: 1, interval: 1s, "
            + "baseEjectionTime: 30s, maxEjectionPercent: 100; and check the failover from/to region names match the node localities.",
        Reference = "https://istio.io/latest/docs/tasks/traffic-management/locality-load-balancing/failover/",
    };
}
