using IndexForge.Resilience.Core.Results;

namespace IndexForge.Resilience.Reports.Redaction;

/// <summary>
/// Redacts every string of a run before a writer formats it, so escaping (JSON, XML, HTML) is applied
/// to text that is already clean; the writers' final pass over their output is the second line of defence.
/// </summary>
public static class RunResultRedaction
{
    public static RunResult Redact(this SecretRedactor r, RunResult run) => run with
    {
        AbortReason = R(r, run.AbortReason),
        Manifest = run.Manifest with
        {
            RunId = r.Redact(run.Manifest.RunId),
            Target = r.Redact(run.Manifest.Target),
            Suite = R(r, run.Manifest.Suite),
            CommandLine = run.Manifest.CommandLine.Select(r.Redact).ToList(),
            ConfigHashes = Map(r, run.Manifest.ConfigHashes),
            Machine = run.Manifest.Machine with { Host = r.Redact(run.Manifest.Machine.Host), Os = r.Redact(run.Manifest.Machine.Os) },
        },
        LintFindings = run.LintFindings.Select(f => Redact(r, f)).ToList(),
        Scenarios = run.Scenarios.Select(s => Redact(r, s)).ToList(),
    };

    private static ScenarioResult Redact(SecretRedactor r, ScenarioResult s) => s with
    {
        Name = r.Redact(s.Name),
        File = r.Redact(s.File),
        Claim = r.Redact(s.Claim),
        PlanSection = R(r, s.PlanSection),
        MeshConfig = r.Redact(s.MeshConfig),
        NegativeControlOf = R(r, s.NegativeControlOf),
        Error = R(r, s.Error),
        Warnings = s.Warnings.Select(r.Redact).ToList(),
        Phases = s.Phases.Select(p => p with { Name = r.Redact(p.Name), Route = r.Redact(p.Route) }).ToList(),
        Faults = s.Faults.Select(f => f with
        {
            Name = r.Redact(f.Name),
            Subject = r.Redact(f.Subject),
            Error = R(r, f.Error),
            Details = Map(r, f.Details),
        }).ToList(),
        Events = s.Events.Select(e => e with { Subject = r.Redact(e.Subject), Detail = r.Redact(e.Detail) }).ToList(),
        Assertions = s.Assertions.Select(a => a with
        {
            Name = r.Redact(a.Name),
            Expected = r.Redact(a.Expected),
            Observed = r.Redact(a.Observed),
            Window = R(r, a.Window),
            Message = R(r, a.Message),
        }).ToList(),
        Findings = s.Findings.Select(f => Redact(r, f)).ToList(),
        Load = s.Load with { SaturationReason = R(r, s.Load.SaturationReason) },
    };

    private static Finding Redact(SecretRedactor r, Finding f) => f with
    {
        Title = r.Redact(f.Title),
        Cause = r.Redact(f.Cause),
        Fix = r.Redact(f.Fix),
        Location = R(r, f.Location),
        Reference = R(r, f.Reference),
    };

    private static string? R(SecretRedactor r, string? text) => text is null ? null : r.Redact(text);

    private static IReadOnlyDictionary<string, string> Map(SecretRedactor r, IReadOnlyDictionary<string, string> map)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in map) result[r.Redact(key)] = r.Redact(value);
        return result;
    }
}
