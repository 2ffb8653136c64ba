using IndexForge.Resilience.Core.Assertions.AlertFires;
using IndexForge.Resilience.Core.Assertions.Failover;
using IndexForge.Resilience.Core.Assertions.LatencyOverhead;
using IndexForge.Resilience.Core.Assertions.OutlierEjected;
using IndexForge.Resilience.Core.Assertions.Refused;
using IndexForge.Resilience.Core.Assertions.Threshold;
using IndexForge.Resilience.Core.Assertions.ZeroDowntime;

namespace IndexForge.Resilience.Core.Assertions;

/// <summary>Evaluators by assertion type key; one registration line per type, duplicates fail at start-up.</summary>
public sealed class AssertionEvaluators
{
    private readonly Dictionary<string, IAssertionEvaluator> _byType = new(StringComparer.Ordinal);

    public static AssertionEvaluators Default { get; } = new AssertionEvaluators()
        .Add(new ThresholdEvaluator())
        .Add(new OutlierEjectedEvaluator())
        .Add(new FailoverEvaluator())
        .Add(new LatencyOverheadEvaluator())
        .Add(new ZeroDowntimeEvaluator())
        .Add(new RefusedEvaluator())
        .Add(new AlertFiresEvaluator());

    public AssertionEvaluators Add(IAssertionEvaluator evaluator)
    {
        if (!_byType.TryAdd(evaluator.Type, evaluator))
            throw new InvalidOperationException($"assertion type '{evaluator.Type}' is registered twice");
        return this;
    }

    public bool TryGet(string type, out IAssertionEvaluator evaluator) => _byType.TryGetValue(type, out evaluator!);

    public IReadOnlyCollection<string> Types => _byType.Keys;
}
