using System.Collections;
using System.Reflection;
using IndexForge.Resilience.Core.Assertions;
using IndexForge.Resilience.Core.Faults;
using IndexForge.Resilience.Core.Load;

namespace IndexForge.Resilience.Core.Scenarios;

/// <summary>
/// Checks a bound scenario as a whole: names unique, references resolve (replicas, regions,
/// zones, phases, faults), faults inside the load, topology sane. Returns every problem at once.
/// </summary>
public static class ScenarioValidator
{
    public const int MaxReplicasPerRegion = 50;

    public static IReadOnlyList<ScenarioError> Validate(Scenario scenario)
    {
        var errors = new List<ScenarioError>();
        void Add(SpecNode node, string key, string message) => errors.Add(new ScenarioError(node.LocationOf(key), message));

        var topology = scenario.Topology;
        if (topology.Replicas.Count == 0) Add(topology, "replicas", "'topology.replicas' must name at least one region");
        foreach (var (region, count) in topology.Replicas)
        {
            if (count is < 1 or > MaxReplicasPerRegion)
                Add(topology, "replicas", $"region '{region}' must have between 1 and {MaxReplicasPerRegion} replicas, not {count}");
        }
        if (!topology.Replicas.ContainsKey(topology.CallerRegion))
            Add(topology, "callerRegion", $"caller region '{topology.CallerRegion}' is not a region of the topology{DidYouMean.Hint(topology.CallerRegion, topology.Replicas.Keys)}");

        var replicas = topology.ReplicaIds();
        var known = new Dictionary<Type, IReadOnlyCollection<string>>
        {
            [typeof(ReplicaReferenceAttribute)] = replicas.Select(r => r.Id).ToList(),
            [typeof(RegionReferenceAttribute)] = topology.Replicas.Keys.ToList(),
            [typeof(ZoneReferenceAttribute)] = replicas.Select(r => r.Zone).Distinct().ToList(),
            [typeof(PhaseReferenceAttribute)] = scenario.Load.Phases.Select(p => p.Name).ToList(),
            [typeof(FaultReferenceAttribute)] = scenario.Faults.Select(f => f.Name).ToList(),
        };

        Unique(scenario.Load.Phases, p => p.Name, "phase", "name", errors);
        Unique(scenario.Faults, f => f.Name, "fault", "name", errors);
        Unique(scenario.Assertions, a => a.Name, "assertion", "name", errors);
        Unique(scenario.NegativeControls, c => c.Name, "negative control", "name", errors);

        foreach (var request in scenario.Load.Requests)
        {
            if (!request.Path.StartsWith('/')) Add(request, "path", $"request path '{request.Path}' must start with '/'");
        }
        if (scenario.Load.Timeout <= TimeSpan.Zero) Add(scenario.Load, "timeout", "'load.timeout' must be greater than zero");

        var total = scenario.TotalDuration;
        foreach (var fault in scenario.Faults)
        {
            if (fault.At < TimeSpan.Zero) Add(fault, "at", $"fault '{fault.Name}' starts before the load ({Durations.Format(fault.At)})");
            else if (fault.At > total) Add(fault, "at", $"fault '{fault.Name}' starts at {Durations.Format(fault.At)}, after the load ends at {Durations.Format(total)}");
            else if (fault.Duration is { } d)
            {
                if (d <= TimeSpan.Zero) Add(fault, "duration", $"fault '{fault.Name}' must last longer than zero");
                else if (fault.At + d > total)
                    Add(fault, "duration", $"fault '{fault.Name}' ends at {Durations.Format(fault.At + d)}, after the load ends at {Durations.Format(total)}");
            }
        }

        foreach (var control in scenario.NegativeControls)
        {
            foreach (var name in control.MustFail.Where(n => scenario.Assertions.All(a => a.Name != n)))
                Add(control, "mustFail", $"negative control '{control.Name}' names assertion '{name}', which the scenario does not have{DidYouMean.Hint(name, scenario.Assertions.Select(a => a.Name))}");
            if (control.Mesh is null && control.Secrets is null && control.Replicas is null)
                Add(control, "name", $"negative control '{control.Name}' changes nothing (set mesh, secrets or replicas)");
        }

        Walk(scenario, "", known, errors, []);
        return errors;
    }

    private static void Unique<T>(IEnumerable<T> items, Func<T, string> name, string what, string key, List<ScenarioError> errors) where T : SpecNode
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (!seen.Add(name(item))) errors.Add(new ScenarioError(item.LocationOf(key), $"{what} name '{name(item)}' is used twice; names must be unique"));
        }
    }

    /// <summary>Visits every node: reference attributes must name something that exists; self-checks run.</summary>
    private static void Walk(SpecNode node, string path, Dictionary<Type, IReadOnlyCollection<string>> known, List<ScenarioError> errors, HashSet<SpecNode> seen)
    {
        if (!seen.Add(node)) return;
        foreach (var (key, property) in SpecBinder.BindableProperties(node.GetType()))
        {
            var value = property.GetValue(node);
            foreach (var (attribute, names) in known)
            {
                if (value is string s && property.IsDefined(attribute) && !names.Contains(s))
                {
                    var what = attribute.Name.Replace("ReferenceAttribute", "").ToLowerInvariant();
                    var list = names.Count == 0 ? "none are defined" : "known: " + string.Join(", ", names);
                    errors.Add(new ScenarioError(node.LocationOf(key), $"{what} '{s}' does not exist{DidYouMean.Hint(s, names)}; {list}"));
                }
            }
            switch (value)
            {
                case SpecNode child: Walk(child, key, known, errors, seen); break;
                case IEnumerable items and not string:
                    foreach (var item in items) if (item is SpecNode c) Walk(c, key, known, errors, seen);
                    break;
            }
        }
        if (node is IValidatableSpec self)
        {
            foreach (var (key, message) in self.ValidateSpec()) errors.Add(new ScenarioError(node.LocationOf(key), message));
        }
    }
}
