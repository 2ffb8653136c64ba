using IndexForge.Resilience.Core.Assertions.Threshold;
using IndexForge.Resilience.Core.Faults.ReplicaHttpError;
using IndexForge.Resilience.Core.Load.ConstantArrivalRate;
using IndexForge.Resilience.Core.Load.RampingArrivalRate;
using IndexForge.Resilience.Core.Scenarios;
using IndexForge.Resilience.Testing;
using Xunit;

namespace IndexForge.Resilience.Core.Tests.Scenarios;

public class ScenarioLoaderTests
{
    private const string Valid = """
        name: t
        claim: c
        topology:
          replicas: {us-west: 2, us-east: 1}
        load:
          phases:
            - name: steady
              type: constant-arrival-rate
              rate: 50
              duration: 10s
        faults:
          - type: replica-http-error
            replica: us-west-2
            at: 2s
            duration: 3s
        assertions:
          - type: threshold
            phase: steady
            expr: p(95) < 50ms
        """;

    private static (Scenario? Scenario, IReadOnlyList<ScenarioError> Errors) Parse(string yaml) =>
        new ScenarioLoader().Parse(yaml, "s.yaml");

    private static ScenarioError Single(string yaml)
    {
        var (scenario, errors) = Parse(yaml);
        Assert.Null(scenario);
        return Assert.Single(errors);
    }

    [Fact]
    public void Parse_ValidScenario_BindsEveryLevel()
    {
        var (scenario, errors) = Parse(Valid);
        Assert.Empty(errors);
        Assert.NotNull(scenario);
        var phase = Assert.IsType<ConstantArrivalRateOptions>(Assert.Single(scenario.Load.Phases));
        Assert.Equal(50, phase.Rate);
        Assert.Equal(TimeSpan.FromSeconds(10), phase.Duration);
        var fault = Assert.IsType<ReplicaHttpErrorOptions>(Assert.Single(scenario.Faults));
        Assert.Equal("replica-http-error", fault.Name); // a nameless fault takes its type
        Assert.Equal(TimeSpan.FromSeconds(5), fault.EndWithin(scenario.TotalDuration));
        Assert.IsType<ThresholdOptions>(Assert.Single(scenario.Assertions));
        Assert.Equal(["us-west-1", "us-west-2", "us-east-1"], scenario.Topology.ReplicaIds().Select(r => r.Id));
        Assert.Equal(new SourceLocation("s.yaml", 13, 14), fault.LocationOf("replica"));
    }

    [Fact]
    public void Parse_UnknownKey_ReportsPositionAndSuggestion()
    {
        var e = Single(Valid.Replace("    rate: 50", "    rtae: 50").Replace("rate: 50", "rtae: 50"));
        Assert.Contains("unknown key 'rtae'", e.Message);
        Assert.Contains("did you mean 'rate'", e.Message);
        Assert.Equal((9, 7), (e.Location.Line, e.Location.Column));
    }

    [Fact]
    public void Parse_UnknownTopLevelKey_SuggestsClosest()
    {
        var e = Single(Valid + "\nasertions: []\n");
        Assert.Contains("unknown key 'asertions' at the top level", e.Message);
        Assert.Contains("did you mean 'assertions'", e.Message);
    }

    [Fact]
    public void Parse_UnknownType_ReportsKnownTypesAndSuggestion()
    {
        var e = Single(Valid.Replace("type: replica-http-error", "type: replica-http-eror"));
        Assert.Contains("unknown type 'replica-http-eror'", e.Message);
        Assert.Contains("did you mean 'replica-http-error'", e.Message);
        Assert.Equal(12, e.Location.Line);
    }

    [Fact]
    public void Parse_MissingType_IsAnError()
    {
        var e = Single(Valid.Replace("  - type: replica-http-error\n", "  - name: nameless\n"));
        Assert.Contains("needs a 'type:'", e.Message);
    }

    [Fact]
    public void Parse_NegativeRate_IsOutOfRange()
    {
        var e = Single(Valid.Replace("rate: 50", "rate: -5"));
        Assert.Contains("'load.phases[0].rate' must be between", e.Message);
        Assert.Equal((9, 13), (e.Location.Line, e.Location.Column));
    }

    [Fact]
    public void Parse_MissingRequiredValue_NamesTheKey()
    {
        var e = Single(Valid.Replace("      rate: 50\n", ""));
        Assert.Contains("missing key 'rate'", e.Message);
    }

    [Fact]
    public void Parse_DurationWithoutUnit_SaysWhichUnit()
    {
        var e = Single(Valid.Replace("duration: 10s", "duration: 10"));
        Assert.Contains("a duration needs a unit, e.g. 10s", e.Message);
    }

    [Fact]
    public void Parse_NotANumber_IsAnError()
    {
        var e = Single(Valid.Replace("rate: 50", "rate: fast"));
        Assert.Contains("must be a number, not 'fast'", e.Message);
    }

    [Fact]
    public void Parse_FaultEndingAfterTheRun_IsAnError()
    {
        var e = Single(Valid.Replace("duration: 3s", "duration: 30s"));
        Assert.Contains("ends at 32s, after the load ends at 10s", e.Message);
        Assert.Equal(15, e.Location.Line);
    }

    [Fact]
    public void Parse_FaultStartingAfterTheRun_IsAnError()
    {
        var e = Single(Valid.Replace("at: 2s", "at: 20s").Replace("duration: 3s", "duration: 1s"));
        Assert.Contains("starts at 20s, after the load ends at 10s", e.Message);
    }

    [Fact]
    public void Parse_UnknownReplica_IsAnErrorWithSuggestion()
    {
        var e = Single(Valid.Replace("replica: us-west-2", "replica: us-west-3"));
        Assert.Contains("replica 'us-west-3' does not exist", e.Message);
        Assert.Contains("known: us-west-1, us-west-2, us-east-1", e.Message);
    }

    [Fact]
    public void Parse_UnknownPhaseReference_IsAnError()
    {
        var e = Single(Valid.Replace("phase: steady", "phase: stedy"));
        Assert.Contains("phase 'stedy' does not exist", e.Message);
        Assert.Contains("did you mean 'steady'", e.Message);
    }

    [Fact]
    public void Parse_UnknownCallerRegion_IsAnError()
    {
        var e = Single(Valid.Replace("  replicas: {us-west: 2, us-east: 1}", "  callerRegion: eu-west\n  replicas: {us-west: 2, us-east: 1}"));
        Assert.Contains("caller region 'eu-west' is not a region of the topology", e.Message);
    }

    [Fact]
    public void Parse_ZeroReplicas_IsOutOfRange()
    {
        var e = Single(Valid.Replace("us-east: 1", "us-east: 0"));
        Assert.Contains("region 'us-east' must have between 1 and 50 replicas", e.Message);
    }

    [Fact]
    public void Parse_BadThresholdExpression_ReportsAtExpr()
    {
        var e = Single(Valid.Replace("p(95) < 50ms", "p(95) < 50"));
        Assert.Contains("give a unit", e.Message);
        Assert.Equal(19, e.Location.Line);
    }

    [Fact]
    public void Parse_DuplicateNames_AreErrors()
    {
        var yaml = Valid.Replace("""
                  duration: 10s
            """, """
                  duration: 10s
                - name: steady
                  type: pause
                  duration: 1s
            """);
        var e = Single(yaml);
        Assert.Contains("phase name 'steady' is used twice", e.Message);
    }

    [Fact]
    public void Parse_WrongShape_IsAnError()
    {
        var e = Single(Valid.Replace("claim: c", "claim: c\nsuites: default"));
        Assert.Contains("'suites' must be a list", e.Message);
        e = Single(Valid.Replace("  replicas: {us-west: 2, us-east: 1}", "  replicas: [us-west]"));
        Assert.Contains("'topology.replicas' must be a mapping", e.Message);
        e = Single(Valid.Replace("name: t", "name: [t]"));
        Assert.Contains("'name' must be a single value, not a list", e.Message);
    }

    [Fact]
    public void Parse_YamlSyntaxError_ReportsPosition()
    {
        var (_, errors) = Parse("name: [unclosed\nclaim: c\n");
        var e = Assert.Single(errors);
        Assert.StartsWith("YAML syntax:", e.Message);
        Assert.True(e.Location.Line >= 1);
    }

    [Fact]
    public void Parse_NegativeControlNamingUnknownAssertion_IsAnError()
    {
        var e = Single(Valid + "\nnegativeControls:\n  - name: off\n    mesh: other\n    mustFail: [nope]\n");
        Assert.Contains("names assertion 'nope', which the scenario does not have", e.Message);
    }

    [Fact]
    public void Parse_SeveralMistakes_ReportsEveryOne()
    {
        var yaml = Valid.Replace("rate: 50", "rate: -1").Replace("replica: us-west-2", "replica: nope").Replace("claim: c", "claim: c\nfoo: 1");
        var (scenario, errors) = Parse(yaml);
        Assert.Null(scenario);
        // The binding errors (rate, foo) come first; reference checks need a cleanly bound file.
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.True(e.Location.Line > 0));
    }

    [Fact]
    public void LoadAll_BaselineScenario_IsValid()
    {
        var loader = new ScenarioLoader(ScenarioCatalog.Default, RepoPaths.Of("clusters"));
        var scenario = Assert.Single(loader.LoadAll([RepoPaths.Of("scenarios", "baseline.yaml")]));
        Assert.Equal("baseline", scenario.Name);
        Assert.NotEmpty(scenario.Claim);
    }

    [Fact]
    public void Parse_RampingStages_Bind()
    {
        var yaml = Valid.Replace("""
                  type: constant-arrival-rate
                  rate: 50
                  duration: 10s
            """, """
                  type: ramping-arrival-rate
                  startRate: 10
                  stages:
                    - {target: 100, duration: 5s}
                    - {target: 0, duration: 5s}
            """);
        var (scenario, errors) = Parse(yaml);
        Assert.Empty(errors);
        var ramp = Assert.IsType<RampingArrivalRateOptions>(scenario!.Load.Phases[0]);
        Assert.Equal(TimeSpan.FromSeconds(10), ramp.Length);
        Assert.Equal(100, ramp.Stages[0].Target);
    }
}
