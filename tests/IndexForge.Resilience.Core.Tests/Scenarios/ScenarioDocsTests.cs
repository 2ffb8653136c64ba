using System.Reflection;
using IndexForge.Resilience.Core.Scenarios;
using IndexForge.Resilience.Testing;
using Xunit;

namespace IndexForge.Resilience.Core.Tests.Scenarios;

/// <summary>docs/scenarios.md must name every type and every key the loader accepts.</summary>
public class ScenarioDocsTests
{
    private static readonly string Docs = File.ReadAllText(RepoPaths.Of("docs", "scenarios.md"));

    public static TheoryData<string> Types()
    {
        var data = new TheoryData<string>();
        var c = ScenarioCatalog.Default;
        foreach (var key in c.Phases.Keys.Concat(c.Faults.Keys).Concat(c.Assertions.Keys)) data.Add(key);
        return data;
    }

    public static TheoryData<string, string> Keys()
    {
        var data = new TheoryData<string, string>();
        var c = ScenarioCatalog.Default;
        var types = new[] { typeof(Scenario), typeof(TopologySpec), typeof(SecretsSpec), typeof(NegativeControlSpec),
            typeof(Core.Load.LoadSpec), typeof(Core.Load.RequestSpec), typeof(Core.Load.RampingArrivalRate.RampStage) }
            .Concat(c.Phases.Values).Concat(c.Faults.Values).Concat(c.Assertions.Values);
        foreach (var t in types)
        {
            foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true } && p.DeclaringType != typeof(SpecNode)))
                data.Add(t.Name, char.ToLowerInvariant(p.Name[0]) + p.Name[1..]);
        }
        return data;
    }

    [Theory, MemberData(nameof(Types))]
    public void Docs_NameEveryType(string type) => Assert.Contains($"`{type}`", Docs);

    [Theory, MemberData(nameof(Keys))]
    public void Docs_NameEveryKey(string owner, string key) =>
        Assert.True(Docs.Contains($"`{key}`", StringComparison.Ordinal), $"docs/scenarios.md does not document key '{key}' of {owner}");
}
