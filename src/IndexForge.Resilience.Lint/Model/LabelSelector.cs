using IndexForge.Resilience.Lint.Parsing;
using YamlDotNet.RepresentationModel;

namespace IndexForge.Resilience.Lint.Model;

/// <summary>Kubernetes label selectors (matchLabels + matchExpressions); an empty selector selects everything.</summary>
public static class LabelSelector
{
    public static bool Matches(YamlNode? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null) return true;
        var matchLabels = selector.Get("matchLabels");
        foreach (var (key, value) in matchLabels.Labels())
            if (!labels.TryGetValue(key, out var actual) || actual != value) return false;
        foreach (var expression in selector.Seq("matchExpressions").Items())
        {
            var key = expression.Str("key") ?? "";
            var values = expression.Get("values").Strings();
            var present = labels.TryGetValue(key, out var actual);
            var ok = (expression.Str("operator") ?? "") switch
            {
                "In" => present && values.Contains(actual!),
                "NotIn" => !present || !values.Contains(actual!),
                "Exists" => present,
                "DoesNotExist" => !present,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    public static bool IsEmpty(YamlNode? selector) =>
        selector is null || (!selector.Get("matchLabels").Entries().Any() && !selector.Seq("matchExpressions").Items().Any());
}
