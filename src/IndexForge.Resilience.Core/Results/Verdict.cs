namespace IndexForge.Resilience.Core.Results;

/// <summary>The outcome of one assertion, one scenario or one run.</summary>
public enum Verdict
{
    Pass,
    Fail,
    /// <summary>Could not be evaluated here (a tool is missing); never counted as a pass.</summary>
    Skipped,
    /// <summary>The harness or the environment failed; the claim was not tested.</summary>
    Error,
}

public static class VerdictExtensions
{
    /// <summary>Combines verdicts: any error wins, then any failure; skips alone do not pass a run.</summary>
    public static Verdict Combine(this IEnumerable<Verdict> verdicts)
    {
        var list = verdicts.ToList();
        if (list.Contains(Verdict.Error)) return Verdict.Error;
        if (list.Contains(Verdict.Fail)) return Verdict.Fail;
        if (list.Count > 0 && list.All(v => v == Verdict.Skipped)) return Verdict.Skipped;
        return Verdict.Pass;
    }

    /// <summary>0 all assertions passed, 1 an assertion failed, 2 invalid input or environment.</summary>
    public static int ToExitCode(this Verdict verdict) => verdict switch
    {
        Verdict.Pass => ExitCodes.Pass,
        Verdict.Skipped => ExitCodes.Pass,
        Verdict.Fail => ExitCodes.AssertionFailed,
        _ => ExitCodes.InvalidInput,
    };
}

public static class ExitCodes
{
    public const int Pass = 0;
    public const int AssertionFailed = 1;
    public const int InvalidInput = 2;
}
