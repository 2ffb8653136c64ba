using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Rotation;

/// <summary>ROT002: datetime.utcnow() returns a naive timestamp (and is deprecated since Python 3.12).</summary>
public sealed class NaiveUtcNowRule : LintRule
{
    public override RuleInfo Info { get; } = new("ROT002", Severity.Warning, "Rotation", "naive datetime.utcnow() timestamps", References.PythonUtcNow);

    public override IEnumerable<LintFinding> Check(ConfigSet set, LintContext context)
    {
        foreach (var file in set.PythonFiles)
        foreach (var (line, code) in PythonModel.CodeLines(file))
        {
            if (!code.Contains("utcnow()", StringComparison.Ordinal)) continue;
            yield return Finding(file.File, line, "datetime.utcnow() produces a naive timestamp",
                "The value has no time zone: isoformat() writes \"2024-01-13T10:00:00\" without +00:00, and every reader (the service's " +
                "overlap window, next_rotation checks) must guess; code that assumes local time is off by the UTC offset. Python 3.12 deprecates utcnow().",
                "Use datetime.now(timezone.utc) (from datetime import timezone); isoformat() then ends in +00:00.");
        }
    }
}
