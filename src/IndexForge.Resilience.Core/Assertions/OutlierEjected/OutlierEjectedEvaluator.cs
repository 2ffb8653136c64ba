using System.Globalization;
using System.Text.RegularExpressions;
using IndexForge.Resilience.Core.Load;
using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Core.Targets;

namespace IndexForge.Resilience.Core.Assertions.OutlierEjected;

/// <summary>
/// From the replica's first failure (the start of a fault on it, else the first window with a 5xx)
/// its traffic must fall to zero within the bound, stay out while the fault lasts (traffic only in
/// windows where the mesh re-admitted it), come back after the fault within the return bound, and
/// the mesh must agree: an "ejected" event for it and ejections_enforced_total increased. When the
/// mesh refused the ejection (overflow) the failure says so and carries a finding with the fix.
/// </summary>
internal sealed partial class OutlierEjectedEvaluator : IAssertionEvaluator
{
    public const string OverflowFinding = "OUTLIER-OVERFLOW";

    public string Type => AssertionTypes.OutlierEjected;

    public AssertionResult Evaluate(AssertionOptions options, AssertionContext context)
    {
        var o = (OutlierEjectedOptions)options;
        var r = o.Replica;
        var bound = o.WithinRequests is { } n ? $"{n} requests" : Evidence.Seconds(o.Within);
        var expected = $"{r} receives no traffic within {bound} of its first failure" + (o.ExpectReturn ? ", and returns after the fault" : "");
        var windows = context.Load.Windows.OrderBy(w => w.Start).ToList();
        var fault = context.Faults.Where(f => f.Target == r && f.Injected).OrderBy(f => f.Start).FirstOrDefault();
        var t0 = fault?.Start ?? windows.FirstOrDefault(Has5xx)?.Start;
        if (t0 is not { } start)
            return Evidence.Result(o, Type, Verdict.Error, expected, "no failure", $"no fault on {r} and no 5xx in the run: there was nothing to eject");
        var faultEnd = fault?.End is { } fe && fe > start ? fe : (TimeSpan?)null;
        var lastEnd = windows.Count > 0 ? windows[^1].End : start;
        var stop = faultEnd ?? lastEnd;
        long Of(LoadWindow w) => w.ByReplica.GetValueOrDefault(r);
        AssertionResult Shell(Verdict v, string observed, string? message, Dictionary<string, double> figures) =>
            Evidence.Result(o, Type, v, expected, observed, message) with
            {
                Window = fault is null ? "from the first 5xx" : $"fault {fault.Name}", WindowStart = start, WindowEnd = stop, Figures = figures,
            };

        var figures = new Dictionary<string, double>();
        if (!windows.Any(w => w.End <= start && Of(w) > 0) && !windows.Any(w => w.Start <= start && w.End > start && Of(w) > 0))
            return Shell(Verdict.Error, $"{r} carried no traffic before its failure", "a replica that never received traffic cannot be seen ejected; check the topology and the load's route", figures);

        var ejectedEvents = context.Events.Where(e => e.Kind == TargetEventKinds.Ejected && e.Subject == r && e.At >= start - Slack(windows)).ToList();
        var overflows = context.Events.Where(e => e.Kind == TargetEventKinds.EjectionOverflow && e.At >= start - Slack(windows)).ToList();
        var enforced = Evidence.CounterDelta(context, OutlierEjectedConstants.EnforcedCounter, start);
        var overflowDelta = Evidence.CounterDelta(context, OutlierEjectedConstants.OverflowCounter, start);
        if (enforced is { } ed) figures["ejectionsEnforcedDelta"] = ed;
        if (overflowDelta is { } od) figures["ejectionsOverflowDelta"] = od;
        var refused = overflows.Count > 0 || overflowDelta > 0;

        var during = windows.Where(w => w.End > start && w.Start < stop).ToList();
        var ejectedAt = during.FirstOrDefault(w => w.Completed > 0 && Of(w) == 0);
        var settings = MeshOutlierSettings.Read(context.MeshConfigDirectory);
        if (ejectedAt is null)
        {
            var share = Share(during, Of);
            figures["shareDuringFault"] = share;
            var observed = $"{r} kept {Evidence.Percent(share)} of the traffic ({during.Sum(Of)} requests) while failing";
            if (refused)
            {
                var finding = Overflow(context, settings, overflows);
                return Shell(Verdict.Fail, observed + "; the mesh refused the ejection (overflow)",
                    $"the mesh detected {r} but refused to eject it: {finding.Cause}", figures) with { Findings = [finding] };
            }
            return Shell(Verdict.Fail, observed, $"{r} was never ejected: its traffic never fell to zero"
                + (ejectedEvents.Count == 0 ? " and the mesh recorded no ejection of it" : ""), figures);
        }

        var requestsBefore = during.TakeWhile(w => w != ejectedAt).Sum(Of);
        var toEjection = ejectedAt.Start > start ? ejectedAt.Start - start : TimeSpan.Zero;
        var outWindows = during.SkipWhile(w => w != ejectedAt).Where(w => w.End <= stop).ToList();
        figures["secondsToEjection"] = toEjection.TotalSeconds;
        figures["requestsBeforeEjection"] = requestsBefore;
        figures["shareDuringFault"] = Share(outWindows, Of);
        var problems = new List<string>();
        if (o.WithinRequests is { } limit ? requestsBefore > limit : toEjection > o.Within)
            problems.Add($"ejected only after {Evidence.Seconds(toEjection)} and {requestsBefore} requests (bound {bound})");
        // Envoy re-admits a host after its ejection time and ejects it again on the next failure:
        // traffic is allowed only in windows where the mesh says it un-ejected the replica.
        var leaks = outWindows.Where(w => Of(w) > 0 && !context.Events.Any(e =>
            e.Kind == TargetEventKinds.Unejected && e.Subject == r && e.At >= w.Start - w.Length && e.At < w.End)).ToList();
        if (leaks.Count > 0)
            problems.Add($"{r} carried traffic again during the fault without being un-ejected ({leaks.Sum(Of)} requests from {Evidence.Seconds(leaks[0].Start)})");
        if (ejectedEvents.Count == 0)
            problems.Add($"{r}'s traffic stopped but the mesh recorded no ejection of it (stopped rather than ejected?)");
        if (enforced is 0) problems.Add($"{OutlierEjectedConstants.EnforcedCounter} did not increase");

        var returnNote = "";
        if (o.ExpectReturn && faultEnd is { } end)
        {
            var returnBound = o.ReturnWithin ?? settings.BaseEjectionTime + settings.Interval + (windows.Count > 0 ? windows[0].Length : TimeSpan.Zero);
            var back = windows.FirstOrDefault(w => w.Start >= end && Of(w) > 0);
            if (back is not null)
            {
                figures["secondsToReturn"] = (back.Start - end).TotalSeconds;
                returnNote = $"; back {Evidence.Seconds(back.Start - end)} after the fault ended";
                if (back.Start - end > returnBound) problems.Add($"returned only {Evidence.Seconds(back.Start - end)} after the fault ended (bound {Evidence.Seconds(returnBound)})");
            }
            else if (lastEnd < end + returnBound)
            {
                return Shell(Verdict.Error, $"ejected after {Evidence.Seconds(toEjection)}; not back when the load ended",
                    $"the load ended {Evidence.Seconds(lastEnd - end)} after the fault, before the return bound {Evidence.Seconds(returnBound)}"
                    + $"{(settings.Found ? "" : " (Envoy defaults: no outlierDetection found in the mesh configuration)")}: lengthen the last phase or set returnWithin", figures);
            }
            else problems.Add($"{r} never carried traffic again after the fault ended (bound {Evidence.Seconds(returnBound)})");
        }

        var seen = $"no traffic to {r} {Evidence.Seconds(toEjection)} after its failure ({requestsBefore} requests before){returnNote}; "
            + $"ejected events {ejectedEvents.Count}, ejections_enforced_total +{(enforced is { } x ? Evidence.Num(x) : "n/a (not scraped)")}";
        return Shell(problems.Count == 0 ? Verdict.Pass : Verdict.Fail, seen, problems.Count == 0 ? null : string.Join("; ", problems), figures);
    }

    private static bool Has5xx(LoadWindow w) => w.Errors.GetValueOrDefault(ErrorClass.Http5xx) > 0 || w.StatusCodes.Any(s => s.Key >= 500 && s.Value > 0);

    private static TimeSpan Slack(List<LoadWindow> windows) => windows.Count > 0 ? windows[0].Length : TimeSpan.FromSeconds(1);

    private static double Share(IReadOnlyCollection<LoadWindow> windows, Func<LoadWindow, long> of)
    {
        var total = windows.Sum(w => w.Completed);
        return total == 0 ? 0 : (double)windows.Sum(of) / total;
    }

    [GeneratedRegex(@"maxEjectionPercent\D{0,3}(?<p>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex PercentInDetail();

    private static Finding Overflow(AssertionContext context, MeshOutlierSettings settings, List<TimelineEvent> overflows)
    {
        var hosts = context.Environment.Replicas.Count > 0 ? context.Environment.Replicas.Count : context.Scenario.Topology.ReplicaIds().Count;
        var fromEvent = overflows.Select(e => PercentInDetail().Match(e.Detail)).FirstOrDefault(m => m.Success);
        var percent = settings.MaxEjectionPercent ?? (fromEvent is not null ? int.Parse(fromEvent.Groups["p"].Value, CultureInfo.InvariantCulture) : OutlierEjectedConstants.IstioMaxEjectionPercent);
        var one = hosts > 0 ? 100.0 / hosts : 100;
        var needed = (int)Math.Ceiling(one);
        var cause = one > percent
            ? $"maxEjectionPercent {percent} with {hosts} hosts: 100×1/{hosts} = {one.ToString("0.#", CultureInfo.InvariantCulture)}% > {percent}%, Envoy refuses every ejection"
            : $"maxEjectionPercent {percent} with {hosts} hosts allows {(int)(percent * hosts / 100.0)} ejected at once, and that many were already out";
        return new Finding
        {
            Id = OverflowFinding,
            Severity = Severity.Error,
            Title = "outlier detection cannot eject: maxEjectionPercent is too low for the host count",
            Cause = cause + (overflows.Count > 0 ? $" ({overflows.Count} refused ejection(s) recorded)" : ""),
            Fix = $"raise trafficPolicy.outlierDetection.maxEjectionPercent to at least {needed} (one host of {hosts}); Istio's default is {OutlierEjectedConstants.IstioMaxEjectionPercent} when unset",
            Reference = "https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/outlier#ejection-algorithm",
        };
    }
}
