using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Core.Assertions.Refused;

/// <summary>
/// Reads a probe's verdict from its fault record: <c>refused</c> "true" passes (when the reason
/// matches), "false" fails with the evidence, "unknown" or a missing tool is skipped, never passed.
/// </summary>
internal sealed class RefusedEvaluator : IAssertionEvaluator
{
    public string Type => AssertionTypes.Refused;

    public AssertionResult Evaluate(AssertionOptions options, AssertionContext context)
    {
        var o = (RefusedOptions)options;
        var expected = o.Reason is null ? $"probe {o.Probe} is refused" : $"probe {o.Probe} is refused ({o.Reason})";
        var probe = context.Faults.FirstOrDefault(f => f.Name == o.Probe);
        if (probe is null)
            return Evidence.Result(o, Type, Verdict.Error, expected, "probe did not run", $"probe '{o.Probe}' never ran, so nothing was probed");
        var d = probe.Details;
        var reason = d.GetValueOrDefault(RefusedKeys.Reason) ?? "";
        var evidence = d.GetValueOrDefault(RefusedKeys.Evidence);
        var said = d.GetValueOrDefault(RefusedKeys.Refused);
        AssertionResult R(Verdict v, string observed, string? message) => Evidence.Result(o, Type, v, expected, observed, message) with
        {
            Window = $"probe {o.Probe}",
            WindowStart = probe.Start,
            WindowEnd = probe.End ?? probe.Start,
            Figures = new Dictionary<string, double> { ["refused"] = said == "true" ? 1 : 0 },
        };
        if (probe.Error is { } error && said is null)
            return R(Verdict.Error, "probe errored", $"the probe could not run: {error}");
        switch (said)
        {
            case "true" when o.Reason is null || string.Equals(reason, o.Reason, StringComparison.OrdinalIgnoreCase):
                return R(Verdict.Pass, $"refused ({Or(reason, "no reason given")})", evidence);
            case "true":
                return R(Verdict.Fail, $"refused ({Or(reason, "no reason given")})",
                    $"refused, but for '{Or(reason, "no reason given")}' rather than '{o.Reason}': the control that should refuse it did not{Tail(evidence)}");
            case "false":
                return R(Verdict.Fail, "got through", $"the probe was NOT refused{Tail(evidence ?? Or(reason, null))}");
            default:
                // Unknown is not refused: a probe that cannot tell certifies nothing.
                var why = Or(reason, null) ?? Or(evidence ?? "", null) ?? (said is null ? "the probe recorded no outcome" : "the probe could not tell");
                return R(Verdict.Skipped, $"refused = {said ?? "missing"}", why);
        }
    }

    private static string? Or(string value, string? fallback) => value.Length > 0 ? value : fallback;

    private static string Tail(string? evidence) => evidence is { Length: > 0 } ? $"; evidence: {evidence}" : "";
}

/// <summary>Keys a probe puts in <see cref="FaultRecord.Details"/>.</summary>
public static class RefusedKeys
{
    public const string Refused = "refused";
    public const string Reason = "reason";
    public const string Evidence = "evidence";
}
