using System.Text.RegularExpressions;
using IndexForge.Resilience.Core.Alerts;
using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Core.Assertions.AlertFires;

/// <summary>
/// Reads the alert timeline the runner polled from the target's Prometheus: the alert must be
/// firing at a poll no later than <c>within</c> (plus one poll interval, the timeline's resolution)
/// after the <c>during</c> fault began, and, with <c>quietBefore</c>, at no poll before it. Without
/// a Prometheus the verdict is skipped, never passed.
/// </summary>
internal sealed partial class AlertFiresEvaluator : IAssertionEvaluator
{
    public const string NoSourceMetricFinding = AlertFiresConstants.NoSourceMetricFinding;

    public string Type => AssertionTypes.AlertFires;

    public AssertionResult Evaluate(AssertionOptions options, AssertionContext context)
    {
        var o = (AlertFiresOptions)options;
        var expected = $"alert {o.Alert} fires within {Evidence.Seconds(o.Within)} of {o.During}" + (o.QuietBefore ? ", not before" : "");
        var timeline = context.Alerts;
        if (timeline is null)
            return Evidence.Result(o, Type, Verdict.Skipped, expected, "not evaluated", "this target runs no Prometheus, so alert rules are not evaluated here");
        if (timeline.Unavailable is { } unavailable)
            return Evidence.Result(o, Type, Verdict.Skipped, expected, "not evaluated", unavailable);
        var fault = context.Faults.FirstOrDefault(f => f.Name == o.During);
        if (fault is null)
            return Evidence.Result(o, Type, Verdict.Error, expected, "fault did not run", $"fault '{o.During}' never ran");
        if (timeline.Samples.Count == 0)
            return Evidence.Result(o, Type, Verdict.Error, expected, "no alert poll answered",
                $"Prometheus never answered the alert polls ({timeline.FailedPolls} failed{(timeline.FirstError is { } fe ? $": {fe}" : "")})");

        var start = fault.Start;
        var deadline = start + o.Within + timeline.PollInterval;
        var firing = timeline.Samples.Where(s => s.Active.Any(a => a.Name == o.Alert && a.Firing)).Select(s => s.At).ToList();
        var before = firing.Where(t => t < start).ToList();
        var after = firing.Where(t => t >= start).ToList();
        var figures = new Dictionary<string, double> { ["firingPolls"] = firing.Count, ["polls"] = timeline.Samples.Count, ["failedPolls"] = timeline.FailedPolls };
        if (after.Count > 0) figures["secondsToFire"] = (after[0] - start).TotalSeconds;
        var observed = after.Count > 0
            ? $"{o.Alert} firing {Evidence.Seconds(after[0] - start)} after {o.During} began"
            : $"{o.Alert} never fired after {o.During} began ({timeline.Samples.Count} polls)";
        if (before.Count > 0) observed += $"; already firing {Evidence.Seconds(start - before[0])} before it";
        var result = Evidence.Result(o, Type, Verdict.Pass, expected, observed) with
        {
            Window = $"fault {o.During}", WindowStart = start, WindowEnd = deadline, Figures = figures,
        };
        var problems = new List<string>();
        if (o.QuietBefore && before.Count > 0)
            problems.Add($"{o.Alert} was already firing at {Evidence.Seconds(before[0])}, before {o.During} began at {Evidence.Seconds(start)}: it cannot tell the fault from normal operation");
        if (after.Count > 0 && after[0] > deadline)
            problems.Add($"{o.Alert} fired only {Evidence.Seconds(after[0] - start)} after {o.During} began (bound {Evidence.Seconds(o.Within)})");
        IReadOnlyList<Finding> findings = [];
        if (after.Count == 0)
        {
            var (why, finding) = NeverFired(o, timeline, context);
            problems.Add(why);
            if (finding is not null) findings = [finding];
        }
        var failed = problems.Count > 0;
        // Failed polls alone do not fail a firing alert, but the reader must know the timeline has holes.
        if (timeline.FailedPolls > 0) problems.Add($"{timeline.FailedPolls} alert polls failed ({timeline.FirstError})");
        var message = problems.Count == 0 ? null : string.Join("; ", problems);
        return failed ? result with { Verdict = Verdict.Fail, Message = message, Findings = findings } : result with { Message = message };
    }

    private static (string Why, Finding? Finding) NeverFired(AlertFiresOptions o, AlertTimeline timeline, AssertionContext context)
    {
        var snapshot = timeline.Snapshot;
        if (snapshot is null) return ($"{o.Alert} never fired (the rules could not be listed: {timeline.FirstError})", null);
        var rule = snapshot.Rules.FirstOrDefault(r => r.Name == o.Alert);
        if (rule is null)
        {
            var loaded = snapshot.Rules.Select(r => r.Name).Distinct().ToList();
            return ($"no alert rule named {o.Alert} is loaded (loaded: {(loaded.Count == 0 ? "none" : string.Join(", ", loaded))}; rules file {o.Rules})", null);
        }
        if (rule.Health == "err")
            return ($"{o.Alert} never fired: Prometheus cannot evaluate it: {rule.LastError}", null);
        var known = snapshot.MetricNames.Concat(context.MetricSeries.SelectMany(s => s.Metrics.Samples.Select(x => x.Name))).ToHashSet(StringComparer.Ordinal);
        var missing = MetricNames(rule.Query).Where(n => !known.Contains(n)).ToList();
        if (missing.Count == 0) return ($"{o.Alert} never fired ({rule.Query})", null);
        var list = string.Join(", ", missing);
        return ($"{o.Alert} never fired: it watches {list}, which no scraped exporter emits", new Finding
        {
            Id = NoSourceMetricFinding,
            Severity = Severity.Error,
            Title = $"alert {o.Alert} can never fire",
            Cause = $"its expression `{rule.Query.Trim()}` watches {list}, and no exporter Prometheus scrapes emits {(missing.Count == 1 ? "it" : "them")}; "
                + "an absent series makes the comparison empty, so the alert stays silent exactly when the service is down",
            Fix = "watch a series that exists: Prometheus' own up{job=\"...\"} == 0 for reachability, or the exporter's real metric "
                + "(for Vault: vault_core_unsealed == 0); test it with promtool test rules",
            Location = rule.File.Length > 0 ? rule.File : null,
        });
    }

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'|\{[^}]*\}|\[[^\]]*\]|\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", RegexOptions.CultureInvariant)]
    private static partial Regex NotNames();

    [GeneratedRegex(@"(?<![\w:.])(?<name>(?>[a-zA-Z_:][a-zA-Z0-9_:]*))(?!\s*\()", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();

    private static readonly HashSet<string> Keywords =
        ["and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN", "atan2"];

    /// <summary>Metric names a PromQL expression selects (labels, strings, ranges, grouping and functions removed).</summary>
    internal static IReadOnlyList<string> MetricNames(string promql) =>
        Identifier().Matches(NotNames().Replace(promql, " ")).Select(m => m.Groups["name"].Value)
            .Where(n => !Keywords.Contains(n)).Distinct().ToList();
}
