using System.Globalization;
using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Core.Assertions.ZeroDowntime;

/// <summary>
/// No failed request from the rotation's start to its end plus <c>settle</c> (every window
/// overlapping that span counts), and every replica on the new version within the bound, as the
/// rotation's details report it. A rotation that failed fails the assertion with its error.
/// </summary>
internal sealed class ZeroDowntimeEvaluator : IAssertionEvaluator
{
    public string Type => AssertionTypes.ZeroDowntime;

    public AssertionResult Evaluate(AssertionOptions options, AssertionContext context)
    {
        var o = (ZeroDowntimeOptions)options;
        var expected = $"0 failed requests from {o.Rotation} to {Evidence.Seconds(o.Settle)} after it; every replica on the new version within {Evidence.Seconds(o.AllReplicasWithin)}";
        var rotation = context.Faults.FirstOrDefault(f => f.Name == o.Rotation);
        if (rotation is null)
            return Evidence.Result(o, Type, Verdict.Error, expected, "rotation did not run", $"rotation '{o.Rotation}' never ran");
        var d = rotation.Details;
        var start = rotation.Start;
        var end = (rotation.End is { } e && e > start ? e : start) + o.Settle;
        var windows = context.Load.Between(start, end).ToList();
        var requests = windows.Sum(w => w.Completed);
        var failed = windows.Sum(w => w.Failed);
        var figures = new Dictionary<string, double> { ["requests"] = requests, ["failed"] = failed };
        var after = AllReplicasAfter(d, out var lagging);
        if (after is { } a) figures["allReplicasAfterSeconds"] = a.TotalSeconds;
        AssertionResult R(Verdict v, string observed, string? message) => Evidence.Result(o, Type, v, expected, observed, message) with
        {
            Window = $"rotation {o.Rotation} + {Evidence.Seconds(o.Settle)}", WindowStart = start, WindowEnd = end, Figures = figures,
        };

        var observed = $"{Evidence.Failures(windows)} of {requests}; versions {d.GetValueOrDefault(ZeroDowntimeKeys.PreviousVersion, "?")} -> {New(d) ?? "?"}"
            + (after is { } t ? $", all replicas after {Evidence.Seconds(t)}" : "");
        var rotationError = rotation.Error ?? d.GetValueOrDefault(ZeroDowntimeKeys.Error);
        if (rotationError is { Length: > 0 })
            return R(Verdict.Fail, observed, $"the rotation failed: {rotationError}");
        if (requests == 0)
            return R(Verdict.Fail, observed, "no request completed in the rotation window: nothing was measured, so nothing is certified");
        var problems = new List<string>();
        if (failed > 0) problems.Add($"{Evidence.Failures(windows)} of {requests} requests in the rotation window");
        if (lagging.Count > 0) problems.Add($"replicas still on the old version: {string.Join(", ", lagging)}");
        if (d.GetValueOrDefault(ZeroDowntimeKeys.Verified) == "false" && lagging.Count == 0) problems.Add("the rotation could not verify that every replica picked up the new version");
        if (after is { } late && late > o.AllReplicasWithin) problems.Add($"the last replica took {Evidence.Seconds(late)} to pick up the new version (bound {Evidence.Seconds(o.AllReplicasWithin)})");
        if (problems.Count > 0) return R(Verdict.Fail, observed, string.Join("; ", problems));
        if (after is null && d.GetValueOrDefault(ZeroDowntimeKeys.Verified) != "true")
            return R(Verdict.Error, observed, "the rotation did not report when the replicas picked up the new version, so the bound cannot be checked");
        return R(Verdict.Pass, observed, null);
    }

    private static string? New(IReadOnlyDictionary<string, string> d) =>
        d.GetValueOrDefault(ZeroDowntimeKeys.NewVersion) ?? d.GetValueOrDefault(ZeroDowntimeKeys.Version);

    /// <summary><c>allReplicasAfter</c> seconds, else the slowest of <c>pickedUp</c> ("replica:1.2s,…"); lagging from <c>lagging</c>/<c>notPickedUp</c>.</summary>
    internal static TimeSpan? AllReplicasAfter(IReadOnlyDictionary<string, string> d, out List<string> lagging)
    {
        lagging = (d.GetValueOrDefault(ZeroDowntimeKeys.Lagging) ?? d.GetValueOrDefault(ZeroDowntimeKeys.NotPickedUp) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (d.TryGetValue(ZeroDowntimeKeys.AllReplicasAfter, out var s) && double.TryParse(s.TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture, out var sec))
            return TimeSpan.FromSeconds(sec);
        if (lagging.Count > 0 || !d.TryGetValue(ZeroDowntimeKeys.PickedUp, out var picked) || picked.Length == 0) return null;
        var times = picked.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p[(p.LastIndexOf(':') + 1)..].TrimEnd('s'))
            .Select(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN).ToList();
        return times.Count == 0 || times.Any(double.IsNaN) ? null : TimeSpan.FromSeconds(times.Max());
    }
}

/// <summary>Keys a rotation (secret-rotation, cert-rotation) puts in its details; both targets' spellings are read.</summary>
public static class ZeroDowntimeKeys
{
    public const string PreviousVersion = "previousVersion";
    public const string NewVersion = "newVersion";
    public const string Version = "version";
    public const string Verified = "verified";
    /// <summary>Seconds until every replica served the new version.</summary>
    public const string AllReplicasAfter = "allReplicasAfter";
    public const string Lagging = "lagging";
    public const string NotPickedUp = "notPickedUp";
    public const string PickedUp = "pickedUp";
    public const string Error = "error";
}
