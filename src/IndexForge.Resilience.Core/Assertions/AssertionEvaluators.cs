using IndexForge.Resilience.Core.Assertions.Threshold;

namespace IndexForge.Resilience.Core.Assertions;

/// <summary>Evaluators by assertion type key; one registration line per type, duplicates fail at start-up.</summary>
public sealed class AssertionEvaluators
{
    private readonly Dictionary<string, IAssertionEvaluator> _byType = new(StringComparer.Ordinal);

    public static AssertionEvaluators Default { get; } = new AssertionEvaluators()
        .Add(new ThresholdEvaluator());

    public AssertionEvaluators Add(IAssertionEvaluator evaluator)
    {
        if (!_byType.TryAdd(evaluator.Type, evaluator))
            throw new InvalidOperationException($"assertion type '{evaluator.Type}' is registered twice");
        return this;
    }

    public bool TryGet(string type, out IAssertionEvaluator evaluator) => _byType.TryGetValue(type, out evaluator!);

    public IReadOnlyCollection<string> Types => _byType.Keys;
}
