using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Prometheus;

/// <summary>PROMTOOL001: `promtool check rules` — Prometheus's own parser over every rule file.</summary>
public sealed class PromtoolCheckRule : PromtoolRule
{
    public override RuleInfo Info { get; } = new("PROMTOOL001", Severity.Error, "Prometheus",
        "promtool check rules fails", References.PromRecordingRules);

    protected override string Command => "check";

    protected override IEnumerable<string> Files(ConfigSet set) => set.RuleFiles.Select(f => f.File);

    protected override string Why => "Prometheus refuses to load a rule file promtool rejects; every alert in it is missing until it is fixed.";

    protected override string Fix(string file) => "Run `promtool check rules " + file + "` and fix what it reports.";
}
