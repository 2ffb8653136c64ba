using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;

namespace IndexForge.Resilience.Lint.Rules.Prometheus;

/// <summary>PROMTOOL002: `promtool test rules` — the alert unit tests next to the rules must pass.</summary>
public sealed class PromtoolTestRule : PromtoolRule
{
    public override RuleInfo Info { get; } = new("PROMTOOL002", Severity.Error, "Prometheus",
        "promtool rule unit test fails", References.PromUnitTesting);

    protected override string Command => "test";

    protected override IEnumerable<string> Files(ConfigSet set) => set.PromtoolTests.Select(t => t.File);

    protected override string Why => "The alerts do not behave as the tests state: an alert that should fire on the given series does not (or the reverse).";

    protected override string Fix(string file) => "Run `promtool test rules " + file + "` and fix the rule or the test.";
}
