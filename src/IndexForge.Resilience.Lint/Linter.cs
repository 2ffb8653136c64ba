using IndexForge.Resilience.Core.Results;
using IndexForge.Resilience.Lint.Model;
using IndexForge.Resilience.Lint.Parsing;
using IndexForge.Resilience.Lint.Rules;

namespace IndexForge.Resilience.Lint;

/// <summary>
/// The `lint` entry point: reads every file it knows under the paths, groups them into configuration
/// sets (clusters/plan, clusters/hardened, ...), applies the rules per set and returns the findings.
/// A rule that throws becomes an error finding; lint never crashes on a malformed file.
/// </summary>
public sealed class Linter(IEnumerable<ILintRule> rules, TimeProvider? time = null)
{
    private readonly IReadOnlyList<ILintRule> _rules = rules.ToList();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public Linter() : this(RuleCatalog.All) { }

    public static LintReport Lint(IEnumerable<string> paths, LintOptions? options = null) => new Linter().Run(paths, options);

    public LintReport Run(IEnumerable<string> paths, LintOptions? options = null)
    {
        options ??= LintOptions.Default;
        var problems = options.Validate();
        if (problems.Count > 0) throw new ArgumentException("invalid lint options: " + string.Join("; ", problems), nameof(options));

        var pathList = paths.ToList();
        var sets = ConfigLoader.Load(pathList);
        var context = new LintContext(options, _time);
        var active = _rules.Where(r => options.OnlyRules is null || options.OnlyRules.Contains(r.Info.Id)).ToList();
        var findings = new List<LintFinding>();
        foreach (var set in sets)
        foreach (var rule in active)
            findings.AddRange(Apply(rule, set, context));

        return new LintReport
        {
            Findings = findings
                .Distinct()
                .OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.RuleId, StringComparer.Ordinal)
                .ToList(),
            Files = sets.SelectMany(s => s.Files).ToList(),
            Rules = active.Select(r => r.Info.Id).ToList(),
        };
    }

    private static IEnumerable<LintFinding> Apply(ILintRule rule, ConfigSet set, LintContext context)
    {
        try
        {
            return rule.Check(set, context).ToList();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return
            [
                new LintFinding
                {
                    RuleId = rule.Info.Id, Severity = Severity.Error, File = set.Root, Line = 0,
                    Message = $"rule {rule.Info.Id} could not run: {e.GetType().Name}: {e.Message}",
                    Why = "This part of the configuration was not checked.",
                    Fix = "Report it with the file that triggered it; the other rules' findings are complete.",
                    Reference = rule.Info.Reference,
                },
            ];
        }
    }
}
